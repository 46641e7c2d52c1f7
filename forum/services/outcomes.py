"""Outcomes, "I tried it": what happened when a member tried a contribution's strategy (worked,
partly, didn't), where (an optional setting) and a private note; one per member per
contribution, changeable and removable.

Counters move only by SQL arithmetic inside the report's own transaction, as ratings do
(forum/services/ratings.py): the member's old row is deleted (its result returned), the new one
inserted unless another request of theirs got there first, the counters moved in an UPDATE and
`success` computed from the row that UPDATE returned while the transaction still holds it.

Notes are private: only `notes_of` reads them, for the contribution's author and moderators
(`read_outcome_notes`); `summary` and `by_setting` are counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from forum import changes
from forum.changes import Changes, News
from forum.extensions import db
from forum.models import Contribution, NotificationEvent, Outcome, User
from forum.models.outcome import NOTE_MAX, RESULTS, SETTINGS
from forum.permissions import can
from forum.ranking import outcome_success
from forum.services import own_rows
from forum.services.errors import Forbidden, NotFound, invalid
from forum.services.paging import Page

# The counter each result moves.
COUNTER_OF = {"worked": "outcome_worked", "partly": "outcome_partly", "didnt": "outcome_didnt"}
# What a report moves, read back for the answer.
COUNTERS = ["outcome_worked", "outcome_partly", "outcome_didnt", "outcome_count", "success"]
RACED = "Your outcome changed in another request at the same moment; please try again."


@dataclass(frozen=True)
class Report:
    """One member's outcome as the contribution's author and moderators read it (note included)."""

    result: str
    setting: str | None
    note: str
    member: dict
    updated_at: datetime


def _clean(result, setting, note) -> tuple[str, str | None, str]:
    if not isinstance(result, str) or result not in RESULTS:
        raise invalid("result", f"Say what happened: one of {', '.join(RESULTS)}.")
    if setting is None or setting == "":
        setting = None
    elif not isinstance(setting, str) or setting not in SETTINGS:
        raise invalid("setting", f"A setting is one of {', '.join(SETTINGS)} (or none).")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise invalid("note", "A note is text.")
    if "\x00" in note:
        raise invalid("note", "NUL characters are not allowed.")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise invalid("note", f"Use at most {NOTE_MAX} characters (this has {len(note)}).")
    return result, setting, note


def _check(actor, contribution: Contribution) -> None:
    if contribution.status != "visible":
        raise NotFound("No such contribution.")
    if not can(actor, "report_outcome", contribution):
        if actor is not None and contribution.author_id == actor.id:
            raise Forbidden("You cannot report an outcome of your own contribution.")
        raise Forbidden("Your account cannot report outcomes right now.")


def _move(contribution_id: int, old: str | None, new: str | None) -> None:
    """Shift the counters from the old result to the new one and store the new success."""
    values = {}
    for result, column in COUNTER_OF.items():
        delta = (new == result) - (old == result)
        if delta:
            values[column] = getattr(Contribution, column) + delta
    count_delta = (new is not None) - (old is not None)
    if count_delta:
        values["outcome_count"] = Contribution.outcome_count + count_delta
    if not values:  # the same result again (a new setting or note): no counter moves
        return
    worked, partly, didnt = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution_id)
        .values(**values)
        .returning(
            Contribution.outcome_worked, Contribution.outcome_partly, Contribution.outcome_didnt
        )
        .execution_options(synchronize_session=False)
    ).one()
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution_id)
        .values(success=outcome_success(worked, partly, didnt))
        .execution_options(synchronize_session=False)
    )


def _told_before(actor, contribution: Contribution) -> bool:
    """Whether the author already heard of this member trying it (a report withdrawn and made
    again tells them nothing new)."""
    return (
        db.session.scalar(
            select(NotificationEvent.id)
            .where(
                NotificationEvent.contribution_id == contribution.id,
                NotificationEvent.kind == "outcome",
                NotificationEvent.actor_id == actor.id,
            )
            .limit(1)
        )
        is not None
    )


def report(actor, contribution: Contribution, result, setting=None, note="") -> Contribution:
    """Set the actor's outcome of trying a contribution (a second report replaces the first);
    returns the contribution with its counters as they now are."""
    result, setting, note = _clean(result, setting, note)
    _check(actor, contribution)
    owner = {"contribution_id": contribution.id, "user_id": actor.id}
    old = own_rows.replace(
        Outcome, "result", owner, RACED, result=result, setting=setting, note=note
    )
    _move(contribution.id, old, result)
    news = []
    if old is None and not _told_before(actor, contribution):
        # The author hears of a first report, not of its changes; the result rides along.
        news.append(
            News("outcome", actor.id, contribution.prompt_id, contribution.id, reason=result)
        )
    # The counters moved by SQL, unseen by the ORM: say so to the change stream (the page shows
    # them; the search index holds none of them, so nothing is re-indexed).
    changes.record(db.session, Changes(tried={contribution.id: contribution.prompt_id}, news=news))
    db.session.commit()
    db.session.refresh(contribution, COUNTERS)
    return contribution


def withdraw(actor, contribution: Contribution) -> None:
    """Remove the actor's outcome, if any; the counters go back."""
    _check(actor, contribution)
    old = own_rows.remove(
        Outcome, "result", {"contribution_id": contribution.id, "user_id": actor.id}
    )
    if old is not None:
        _move(contribution.id, old, None)
        changes.record(db.session, Changes(tried={contribution.id: contribution.prompt_id}))
    db.session.commit()


def mine(actor, contribution_id: int) -> Outcome | None:
    """The actor's own outcome of a contribution (their note included), or None."""
    if actor is None:
        return None
    return db.session.scalar(
        select(Outcome).where(
            Outcome.contribution_id == contribution_id, Outcome.user_id == actor.id
        )
    )


def _grouped(contribution_ids) -> dict[int, dict[str, dict]]:
    ids = list(contribution_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Outcome.contribution_id, Outcome.setting, Outcome.result, func.count())
        .where(Outcome.contribution_id.in_(ids), Outcome.setting.is_not(None))
        .group_by(Outcome.contribution_id, Outcome.setting, Outcome.result)
    )
    found: dict[int, dict[str, dict]] = {}
    for contribution_id, setting, result, count in rows:
        counts = found.setdefault(contribution_id, {}).setdefault(
            setting, {"tried": 0, "worked": 0, "partly": 0, "didnt": 0}
        )
        counts[result] += count
        counts["tried"] += count
    # Settings in their usual order, whatever order the database grouped them in.
    return {
        ident: {s: settings[s] for s in SETTINGS if s in settings}
        for ident, settings in found.items()
    }


def by_setting(contribution_ids) -> dict[int, dict[str, dict]]:
    """The outcomes of these contributions split by setting, in one grouped query:
    {id: {setting: {tried, worked, partly, didnt}}}, only the settings that occur (a
    contribution whose reports name no setting is absent)."""
    return _grouped(contribution_ids)


def summary(contribution: Contribution, by_setting: dict | None = None) -> dict:
    """A contribution's outcomes as everyone sees them (counts, never notes). `by_setting`: its
    split by setting already read for a whole page (`by_setting(ids)[id]`); None reads it."""
    if by_setting is None:
        by_setting = _grouped([contribution.id]).get(contribution.id, {})
    return {
        "tried": contribution.outcome_count,
        "worked": contribution.outcome_worked,
        "partly": contribution.outcome_partly,
        "didnt": contribution.outcome_didnt,
        "success": contribution.success,
        "by_setting": by_setting,
    }


def notes_of(actor, contribution: Contribution, page: int = 1, per_page: int = 20) -> Page:
    """A page of the outcomes reported on a contribution with their notes and who wrote them,
    newest first: for its author and moderators only."""
    if not can(actor, "read_outcome_notes", contribution):
        raise Forbidden("Only the author and moderators read the notes of those who tried it.")
    where = Outcome.contribution_id == contribution.id
    total = db.session.scalar(select(func.count(Outcome.id)).where(where)) or 0
    rows = db.session.execute(
        select(
            Outcome.result,
            Outcome.setting,
            Outcome.note,
            Outcome.updated_at,
            User.username,
            User.display_name,
        )
        .join(User, User.id == Outcome.user_id)
        .where(where)
        .order_by(Outcome.updated_at.desc(), Outcome.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [
        Report(
            row.result,
            row.setting,
            row.note,
            {"username": row.username, "display_name": row.display_name},
            row.updated_at,
        )
        for row in rows
    ]
    return Page(items, page, per_page, total)
