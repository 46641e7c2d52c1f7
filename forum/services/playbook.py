"""The playbook: the strategies (contributions) a member saved to try, each with a reminder date.

Saving is one row per member per contribution; saving again changes the reminder and re-arms
the check-in. When the reminder date passes and the member has reported no outcome, the periodic
check-in (forum/services/checkins.py) asks them how it went, once. Removing a strategy deletes
its row, so a check-in not raised yet never comes.

A saved contribution that was hidden or deleted since stays in the playbook as unavailable: its
member may remove it, but its text and author are no longer shown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import Contribution, Outcome, Prompt, SavedStrategy, User
from forum.models.outcome import REMIND_DEFAULT_DAYS, REMIND_MAX_DAYS, REMIND_MIN_DAYS
from forum.models.types import utcnow
from forum.permissions import can, is_active
from forum.services.errors import Forbidden, NotFound, invalid
from forum.services.own_rows import insert_unless_present
from forum.services.paging import Page

EXCERPT = 240  # characters of a saved contribution shown in the playbook
REMIND_MESSAGE = (
    f"A reminder is a whole number of days from {REMIND_MIN_DAYS} to {REMIND_MAX_DAYS}."
)
# What each state is called on the page (the API gives the code and `my_outcome`).
STATE_LABELS = {
    "to_try": "To try",
    "checkin_due": "Check-in due",
    "tried": "Tried",
    "unavailable": "No longer available",
}
RESULT_LABELS = {"worked": "it worked", "partly": "it partly worked", "didnt": "it didn't work"}


@dataclass(frozen=True)
class Entry:
    """One saved strategy as its member sees it in the playbook. `author` and `excerpt` are
    None when the contribution is no longer available (hidden or deleted since)."""

    contribution_id: int
    prompt_id: int
    prompt_title: str
    prompt_slug: str
    available: bool
    author: dict | None
    excerpt: str | None
    saved_at: datetime
    remind_at: datetime
    checkin_at: datetime | None
    my_outcome: str | None
    state: str  # to_try, checkin_due, tried, unavailable

    @property
    def state_label(self) -> str:
        if self.state == "tried" and self.my_outcome in RESULT_LABELS:
            return f"Tried: {RESULT_LABELS[self.my_outcome]}"
        return STATE_LABELS[self.state]


def _remind_days(remind_in_days) -> int:
    """The reminder's days from now: the default when none is given; 422 unless a whole number
    from REMIND_MIN_DAYS to REMIND_MAX_DAYS."""
    if remind_in_days is None:
        return REMIND_DEFAULT_DAYS
    if (
        isinstance(remind_in_days, bool)
        or not isinstance(remind_in_days, int)
        or not REMIND_MIN_DAYS <= remind_in_days <= REMIND_MAX_DAYS
    ):
        raise invalid("remind_in_days", REMIND_MESSAGE)
    return remind_in_days


def _require_member(actor) -> None:
    if actor is None:
        raise Forbidden("Sign in to keep a playbook.")


def _check_save(actor, contribution: Contribution) -> None:
    _require_member(actor)
    if contribution.status != "visible":
        raise NotFound("No such contribution.")
    if not can(actor, "save_strategy", contribution):
        if contribution.author_id == actor.id:
            raise Forbidden("Your own contribution is not one to save to your playbook.")
        raise Forbidden("Your account cannot save strategies right now.")


def _mine(actor, contribution_id: int):
    return and_(SavedStrategy.user_id == actor.id, SavedStrategy.contribution_id == contribution_id)


def save(actor, contribution: Contribution, remind_in_days=None) -> SavedStrategy:
    """Save a contribution to the actor's playbook with a reminder `remind_in_days` from now
    (default REMIND_DEFAULT_DAYS); saving again changes the reminder and re-arms its check-in.
    403 on one's own contribution or while suspended, 404 when it is not visible."""
    days = _remind_days(remind_in_days)
    _check_save(actor, contribution)
    now = utcnow()
    remind_at = now + timedelta(days=days)
    # Sent twice at once, the second insert finds the first's row and updates it instead.
    if not insert_unless_present(
        SavedStrategy,
        user_id=actor.id,
        contribution_id=contribution.id,
        saved_at=now,
        remind_at=remind_at,
        checkin_at=None,
    ):
        db.session.execute(
            update(SavedStrategy)
            .where(_mine(actor, contribution.id))
            .values(remind_at=remind_at, checkin_at=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return db.session.scalar(select(SavedStrategy).where(_mine(actor, contribution.id)))


def unsave(actor, contribution: Contribution | int) -> None:
    """Remove a contribution from the actor's playbook (nothing when it is not there). Takes
    the row or its id: an entry whose contribution was hidden since can be removed too. 404
    when nothing was removed and the actor may not see such a contribution; 403 while suspended
    (a suspended account only reads)."""
    _require_member(actor)
    if not is_active(actor):
        raise Forbidden("Your account cannot change its playbook right now.")
    ident = contribution if isinstance(contribution, int) else contribution.id
    removed = db.session.execute(
        delete(SavedStrategy)
        .where(_mine(actor, ident))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not removed:
        row = contribution
        if isinstance(row, int):
            row = db.session.get(Contribution, ident) if 0 < ident < 2**31 else None
        if row is None or not can(actor, "read_contribution", row):
            raise NotFound("No such contribution.")


_AUTHOR = aliased(User)
# Block tags part words; inline ones (emphasis, links) sit inside them.
_BLOCK = re.compile(r"</?(?:p|li|br|h[1-6]|blockquote|div|pre|ul|ol|table|tr|td|th|hr)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def _excerpt(body_html: str) -> str:
    """The first words of the sanitized HTML as plain text."""
    text = _TAG.sub("", _BLOCK.sub(" ", body_html or ""))
    words = " ".join(html.unescape(text).split())
    if len(words) <= EXCERPT:
        return words
    return words[:EXCERPT].rsplit(" ", 1)[0] + "…"


def playbook_of(actor, page: int = 1, per_page: int = 20) -> Page:
    """A page of the actor's saved strategies (Entry), newest saved first, each with their own
    outcome of it, if any, and its state."""
    _require_member(actor)
    total = (
        db.session.scalar(
            select(func.count(SavedStrategy.id)).where(SavedStrategy.user_id == actor.id)
        )
        or 0
    )
    rows = db.session.execute(
        select(
            SavedStrategy.contribution_id,
            SavedStrategy.saved_at,
            SavedStrategy.remind_at,
            SavedStrategy.checkin_at,
            Contribution.prompt_id,
            Contribution.status,
            Contribution.body_html,
            Contribution.author_name,
            Prompt.title,
            Prompt.slug,
            _AUTHOR.username,
            _AUTHOR.display_name,
            Outcome.result,
        )
        .join(Contribution, Contribution.id == SavedStrategy.contribution_id)
        .join(Prompt, Prompt.id == Contribution.prompt_id)
        .outerjoin(_AUTHOR, _AUTHOR.id == Contribution.author_id)
        .outerjoin(
            Outcome,
            and_(
                Outcome.user_id == SavedStrategy.user_id,
                Outcome.contribution_id == SavedStrategy.contribution_id,
            ),
        )
        .where(SavedStrategy.user_id == actor.id)
        .order_by(SavedStrategy.saved_at.desc(), SavedStrategy.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    now = utcnow()
    return Page([_entry(row, now) for row in rows], page, per_page, total)


def _entry(row, now: datetime) -> Entry:
    available = row.status == "visible"
    if not available:
        state = "unavailable"
    elif row.result is not None:
        state = "tried"
    elif row.remind_at <= now:
        state = "checkin_due"
    else:
        state = "to_try"
    author = None
    if available:
        author = {
            "username": row.username,
            "display_name": row.display_name or row.author_name or "former member",
        }
    return Entry(
        contribution_id=row.contribution_id,
        prompt_id=row.prompt_id,
        prompt_title=row.title,
        prompt_slug=row.slug,
        available=available,
        author=author,
        excerpt=_excerpt(row.body_html) if available else None,
        saved_at=row.saved_at,
        remind_at=row.remind_at,
        checkin_at=row.checkin_at,
        my_outcome=row.result,
        state=state,
    )
