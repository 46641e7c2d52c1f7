"""The inbox: a member's notifications, newest first, read or unread.

A notification whose content was hidden or deleted since is left out when read (not removed): it
comes back if the content is restored. A `moderation` notification is about the member's own
content and stays, hidden or not: it says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import (
    Comment,
    Contribution,
    Notification,
    NotificationEvent,
    Outcome,
    Prompt,
    User,
)
from forum.models.types import utcnow
from forum.permissions import can
from forum.services.errors import Forbidden, invalid
from forum.services.paging import Page

# The header shows at most this many ("99+"): counting stops there, so the query stays small.
BADGE_CAP = 99
_ACTOR = aliased(User)
_FIELDS = (
    Notification.id,
    Notification.kind,
    Notification.created_at,
    Notification.read_at,
    NotificationEvent.kind.label("event_kind"),
    NotificationEvent.reason,
    NotificationEvent.contribution_id,
    NotificationEvent.comment_id,
    Contribution.prompt_id,
    Prompt.title.label("prompt_title"),
    Prompt.slug.label("prompt_slug"),
    _ACTOR.username.label("actor_username"),
    _ACTOR.display_name.label("actor_display_name"),
)
_WHAT = {
    "contribution": "{actor} shared an experience on “{title}”",
    "mention": "{actor} mentioned you on “{title}”",
    "comment": "{actor} commented on a contribution to “{title}”",
    "hide": "A moderator hid your {what} on “{title}”. Reason: {reason}",
    "restore": "A moderator restored your {what} on “{title}”",
    "feature": "A moderator picked your {what} on “{title}” as an editor's pick",
    "checkin": "How did it go with {actor}'s strategy on “{title}”?",
    "outcome": "{actor} tried your strategy on “{title}”: {result}",
}
# What an `outcome` notification says happened (its event's reason holds the result reported).
_RESULT_WORDS = {"worked": "it worked", "partly": "it partly worked", "didnt": "it didn't work"}


@dataclass(frozen=True)
class Item:
    """One notification as its member sees it."""

    id: int
    kind: str
    actor: dict | None
    prompt: dict | None
    prompt_slug: str | None
    contribution_id: int | None
    comment_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def _require(actor) -> None:
    if not can(actor, "follow"):
        raise Forbidden("Sign in to read your notifications.")


FORMER = {"checkin": "a former member"}  # inside the sentence
# A check-in names the strategy's author (its event's actor is the member who saved it).
_SHOWN_ACTOR = case(
    (NotificationEvent.kind == "checkin", Contribution.author_id),
    else_=NotificationEvent.actor_id,
)
# A check-in is answered once its member reported how it went: it leaves the inbox.
_ANSWERED = exists().where(
    Outcome.user_id == Notification.user_id,
    Outcome.contribution_id == NotificationEvent.contribution_id,
)


def _shown():
    """What the member may still see: moderation news always, the rest while its contribution
    (and comment) is visible, and a check-in until they report an outcome."""
    return or_(
        Notification.kind == "moderation",
        and_(
            Contribution.status == "visible",
            or_(NotificationEvent.comment_id.is_(None), Comment.status == "visible"),
            or_(Notification.kind != "checkin", ~_ANSWERED),
        ),
    )


def _joined(query, *, actor: bool = False):
    query = (
        query.join(NotificationEvent, NotificationEvent.id == Notification.event_id)
        .outerjoin(Contribution, Contribution.id == NotificationEvent.contribution_id)
        .outerjoin(Comment, Comment.id == NotificationEvent.comment_id)
    )
    if actor:
        query = query.outerjoin(Prompt, Prompt.id == Contribution.prompt_id).outerjoin(
            _ACTOR, _ACTOR.id == _SHOWN_ACTOR
        )
    return query


def shown_notifications(*columns):
    """A query of notifications still shown to their member (as the inbox shows them), with
    what `item_of` needs and `columns` (from the notification, its event, contribution,
    prompt or members): emails and digests read members' news in bulk with it."""
    return _joined(select(*_FIELDS, *columns), actor=True).where(_shown())


def item_of(row) -> Item:
    """A row of `shown_notifications` as its member reads it."""
    return _item(row)


def _mine(member_id: int, unread_only: bool):
    conditions = [Notification.user_id == member_id, _shown()]
    if unread_only:
        conditions.append(Notification.read_at.is_(None))
    return conditions


def notifications_of(actor, *, unread: bool = False, page: int = 1, per_page: int = 20) -> Page:
    """A page of the member's notifications, newest first."""
    _require(actor)
    where = _mine(actor.id, unread)
    total = db.session.scalar(_joined(select(func.count(Notification.id))).where(*where)) or 0
    rows = db.session.execute(
        _joined(select(*_FIELDS), actor=True)
        .where(*where)
        .order_by(Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page([_item(row) for row in rows], page, per_page, total)


def _item(row) -> Item:
    moderation = row.kind == "moderation"
    actor = None
    if not moderation and row.actor_username is not None:
        actor = {"username": row.actor_username, "display_name": row.actor_display_name}
    template = _WHAT[row.event_kind if moderation else row.kind]
    text = template.format(
        actor=actor["display_name"] if actor else FORMER.get(row.kind, "A former member"),
        title=row.prompt_title or "a prompt",
        reason=row.reason,
        what="comment" if row.comment_id else "contribution",
        result=_RESULT_WORDS.get(row.reason, "they reported how it went"),
    )
    prompt = {"id": row.prompt_id, "title": row.prompt_title} if row.prompt_id else None
    return Item(
        row.id,
        row.kind,
        actor,
        prompt,
        row.prompt_slug,
        row.contribution_id,
        row.comment_id,
        text,
        row.created_at,
        row.read_at,
    )


def unread_count(member_id: int) -> int:
    """How many unread notifications the member may see."""
    where = _mine(member_id, True)
    return db.session.scalar(_joined(select(func.count(Notification.id))).where(*where)) or 0


def _badge():
    """The header's count as one statement, built once: every member's page asks it."""
    capped = (
        _joined(select(Notification.id))
        .where(*_mine(bindparam("member_id"), True))
        .limit(BADGE_CAP + 1)
    )
    return select(func.count()).select_from(capped.subquery())


_BADGE = _badge()
# The same count as a column, for a statement that asks it together with other things
# (forum/services/member_state.py).
BADGE_COUNT = _BADGE.scalar_subquery()


def unread_badge(member_id: int) -> int:
    """The header's count, one small query: counting stops past BADGE_CAP."""
    return db.session.connection().execute(_BADGE, {"member_id": member_id}).scalar() or 0


def mark_read(actor, ids=None, everything: bool = False) -> int:
    """Mark some of the member's notifications (or all of them) read; the unread count left."""
    _require(actor)
    valid_ids = isinstance(ids, list) and all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    )
    if not everything and not valid_ids:
        raise invalid("ids", "Give a list of notification ids, or all: true.")
    query = update(Notification).where(
        Notification.user_id == actor.id, Notification.read_at.is_(None)
    )
    if not everything:
        query = query.where(Notification.id.in_(ids))
    db.session.execute(query.values(read_at=utcnow()))
    db.session.commit()
    return unread_count(actor.id)
