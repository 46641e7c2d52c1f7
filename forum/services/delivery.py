"""Delivery: the worker turns notification events into notifications, in transactions of its own.

`deliver_pending` claims a batch of events (a lease: `claimed_by`, `claimed_at`), writes each
event's notifications with one INSERT ... SELECT per kind of recipient and marks it delivered in
the same transaction. A worker that dies leaves its claim to expire; the next one delivers the
event again, and the unique (member, event) pair on notifications keeps anyone from hearing of
it twice. So it is safe to run in several workers at once and after a crash.

Who hears of what (docs/api.md, "Following and notifications"):
- a new contribution: whoever watches its prompt, the key point it answers, the prompt's topic,
  one of its tags or the prompt's, or its author; a member it mentions (`@username`);
- a comment: whoever watches its contribution (its author and the members who commented), a
  member it mentions;
- a moderator hid, restored or featured a member's contribution or comment: its author;
- a member reported trying a contribution for the first time: its author, unless they muted it,
  its prompt or that member;
- a saved strategy's reminder date passed with no outcome (a check-in): the member who saved it.
An edit that names someone new is an event too, for the mentions alone (never twice for a text).
Nobody hears of their own act (a check-in excepted: it is the saver's own reminder); a member
hears of an event once (a mention before a watch); `muted` on any target the event touches
silences it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select, text, update

from forum.extensions import db
from forum.mentions import mentioned_usernames
from forum.models import Comment, Contribution, NotificationEvent, Prompt
from forum.models.types import UTCDateTime, utcnow

LEASE = timedelta(minutes=5)
EVENTS = NotificationEvent.__table__

_INSERT = (
    "INSERT INTO notifications (user_id, event_id, kind, created_at) "
    "SELECT DISTINCT {who}, :event_id, :kind, :created_at FROM {source} "
    "WHERE {where} AND {who} <> :actor_id "
    "AND {who} NOT IN (SELECT m.user_id FROM subscriptions m "
    "WHERE m.level = 'muted' AND ({muted})) "
    "ON CONFLICT DO NOTHING"
)
# The tags a contribution touches: its own and its prompt's.
_TAGS = (
    "SELECT tag_id FROM contribution_tags WHERE contribution_id = :contribution_id "
    "UNION SELECT tag_id FROM prompt_tags WHERE prompt_id = :prompt_id"
)
# Who heard of a mention in this contribution (comment_key 0) or comment already.
_MENTIONED_BEFORE = (
    "SELECT n.user_id FROM notifications n JOIN notification_events e ON e.id = n.event_id "
    "WHERE n.kind = 'mention' AND e.contribution_id = :contribution_id "
    "AND COALESCE(e.comment_id, 0) = :comment_key"
)
# A watch heard of what happened after it began, not before (however late the worker runs).
_WATCHING = "s.level = 'watching' AND s.created_at <= :created_at"
NO_ONE = 0  # no member has id 0: an event without an actor excludes nobody


def _sql(statement: str, *extra):
    """A statement of this module, its time stored as every other UTC time is."""
    return text(statement).bindparams(bindparam("created_at", type_=UTCDateTime()), *extra)


_AUTHOR_OF = (
    "INSERT INTO notifications (user_id, event_id, kind, created_at) "
    "SELECT c.author_id, :event_id, 'moderation', :created_at FROM {table} c "
    "WHERE c.id = :target AND c.author_id IS NOT NULL AND c.author_id <> :actor_id "
    "ON CONFLICT DO NOTHING"
)
_AUTHOR_OF_CONTRIBUTION = _AUTHOR_OF.format(table="contributions")
_AUTHOR_OF_COMMENT = _AUTHOR_OF.format(table="comments")
# A check-in reaches the member who saved the strategy (the event's actor) alone, while it is
# still in their playbook (forum/services/checkins.py).
_CHECKIN = (
    "INSERT INTO notifications (user_id, event_id, kind, created_at) "
    "SELECT s.user_id, :event_id, 'checkin', :created_at FROM saved_strategies s "
    "WHERE s.user_id = :actor_id AND s.contribution_id = :contribution_id "
    "ON CONFLICT DO NOTHING"
)
# The author of a strategy someone tried, unless the author muted it, its prompt or the member.
_OUTCOME = (
    "INSERT INTO notifications (user_id, event_id, kind, created_at) "
    "SELECT c.author_id, :event_id, 'outcome', :created_at FROM contributions c "
    "WHERE c.id = :contribution_id AND c.author_id IS NOT NULL AND c.author_id <> :actor_id "
    "AND c.author_id NOT IN (SELECT m.user_id FROM subscriptions m WHERE m.level = 'muted' AND ("
    "(m.target_type = 'contribution' AND m.target_id = c.id)"
    " OR (m.target_type = 'prompt' AND m.target_id = c.prompt_id)"
    " OR (m.target_type = 'user' AND m.target_id = :actor_id))) "
    "ON CONFLICT DO NOTHING"
)


@dataclass
class Delivered:
    events: int = 0
    notifications: int = 0


def deliver_pending(batch: int = 100, lease: timedelta = LEASE) -> Delivered:
    """Deliver up to `batch` waiting events; what was done. Commits (its own transactions)."""
    done = Delivered()
    for event in _claim(batch, lease):
        written = _deliver(event)
        if written is not None:
            done.events += 1
            done.notifications += written
    return done


def deliver_all(batch: int = 100) -> Delivered:
    """Deliver until no event waits (tests, the command line)."""
    total = Delivered()
    while True:
        done = deliver_pending(batch)
        if not done.events:
            return total
        total.events += done.events
        total.notifications += done.notifications


def _claim(batch: int, lease: timedelta) -> list:
    """Claim waiting events no live worker holds, in a transaction of its own."""
    now, token = utcnow(), uuid.uuid4().hex
    free = EVENTS.c.delivered_at.is_(None) & (
        EVENTS.c.claimed_at.is_(None) | (EVENTS.c.claimed_at < now - lease)
    )
    ids = list(
        db.session.scalars(
            select(EVENTS.c.id)
            .where(free)
            .order_by(EVENTS.c.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        db.session.rollback()
        return []
    # The condition again: a worker that claimed one of these meanwhile keeps it.
    db.session.execute(
        update(EVENTS).where(EVENTS.c.id.in_(ids), free).values(claimed_by=token, claimed_at=now)
    )
    db.session.commit()
    return list(
        db.session.execute(select(EVENTS).where(EVENTS.c.claimed_by == token).order_by(EVENTS.c.id))
    )


def _deliver(event) -> int | None:
    """Write one event's notifications and mark it delivered, in one transaction; how many were
    written (None when another worker took the event over meanwhile)."""
    written = 0
    params = {
        "event_id": event.id,
        "actor_id": event.actor_id or NO_ONE,
        "created_at": event.created_at,
    }
    for statement, more in _plan(event):
        written += db.session.execute(statement, {**params, **more}).rowcount or 0
    marked = db.session.execute(
        update(EVENTS)
        .where(EVENTS.c.id == event.id, EVENTS.c.claimed_by == event.claimed_by)
        .values(delivered_at=utcnow())
    )
    if not marked.rowcount:
        db.session.rollback()
        return None
    db.session.commit()
    return written


def _plan(event) -> list[tuple]:
    """The INSERT ... SELECT statements that notify this event's members, with their values."""
    if event.kind == "contribution":
        return _for_contribution(event)
    if event.kind == "comment":
        return _for_comment(event)
    if event.kind == "mention":  # an edit that names someone new: only the mentions
        plan = _for_comment(event) if event.comment_id is not None else _for_contribution(event)
        return [step for step in plan if step[1]["kind"] == "mention"]
    if event.kind in ("hide", "restore", "feature"):
        return _for_moderation(event)
    if event.kind == "checkin" and event.contribution_id is not None and event.actor_id:
        return [(_sql(_CHECKIN), {"contribution_id": event.contribution_id})]
    if event.kind == "outcome" and event.contribution_id is not None:
        return [(_sql(_OUTCOME), {"contribution_id": event.contribution_id})]
    return []


def _contribution_targets(alias: str) -> str:
    s = alias
    return (
        f"({s}.target_type = 'prompt' AND {s}.target_id = :prompt_id)"
        f" OR ({s}.target_type = 'key_point' AND {s}.target_id = :key_point_id)"
        f" OR ({s}.target_type = 'topic' AND {s}.target_id = :topic_id)"
        f" OR ({s}.target_type = 'user' AND {s}.target_id = :author_id)"
        f" OR ({s}.target_type = 'tag' AND {s}.target_id IN ({_TAGS}))"
    )


def _for_contribution(event) -> list[tuple]:
    row = db.session.execute(
        select(
            Contribution.prompt_id, Contribution.key_point_id, Prompt.topic_id, Contribution.body
        )
        .join(Prompt, Prompt.id == Contribution.prompt_id)
        .where(Contribution.id == event.contribution_id)
    ).first()
    if row is None:
        return []
    values = {
        "contribution_id": event.contribution_id,
        "comment_key": 0,
        "prompt_id": row.prompt_id,
        "key_point_id": row.key_point_id,
        "topic_id": row.topic_id,
        "author_id": event.actor_id,
    }
    muted = _contribution_targets("m")
    plan = _mentions(row.body, muted, values)
    watchers = _INSERT.format(
        who="s.user_id",
        source="subscriptions s",
        where=f"{_WATCHING} AND ({_contribution_targets('s')})",
        muted=muted,
    )
    plan.append((_sql(watchers), {**values, "kind": "contribution"}))
    return plan


def _mentions(body: str, muted: str, values: dict) -> list[tuple]:
    """The mention of each member named with @username (first: a mention says more than a
    watch, and a member hears of an event once), but not twice for one text (edited)."""
    names = sorted({name.lower() for name in mentioned_usernames(body)})
    if not names:
        return []
    statement = _sql(
        _INSERT.format(
            who="u.id",
            source="users u",
            where=f"lower(u.username) IN :names AND u.id NOT IN ({_MENTIONED_BEFORE})",
            muted=muted,
        ),
        bindparam("names", expanding=True),
    )
    return [(statement, {**values, "names": names, "kind": "mention"})]


def _for_comment(event) -> list[tuple]:
    row = db.session.execute(
        select(Comment.body, Contribution.prompt_id)
        .join(Contribution, Contribution.id == Comment.contribution_id)
        .where(Comment.id == event.comment_id)
    ).first()
    if row is None:
        return []
    values = {
        "contribution_id": event.contribution_id,
        "comment_key": event.comment_id,
        "prompt_id": row.prompt_id,
        "author_id": event.actor_id,
    }
    conversation = "(m.target_type = 'contribution' AND m.target_id = :contribution_id)"
    # Muting the prompt or the commenter silences a conversation too.
    muted = (
        f"{conversation} OR (m.target_type = 'prompt' AND m.target_id = :prompt_id)"
        " OR (m.target_type = 'user' AND m.target_id = :author_id)"
    )
    plan = _mentions(row.body, muted, values)
    watchers = _INSERT.format(
        who="s.user_id",
        source="subscriptions s",
        where=f"{_WATCHING} AND {conversation.replace('m.', 's.')}",
        muted=muted,
    )
    plan.append((_sql(watchers), {**values, "kind": "comment"}))
    return plan


def _for_moderation(event) -> list[tuple]:
    """The author of the content a moderator acted on (a comment's, or the contribution's)."""
    if event.comment_id is not None:
        return [(_sql(_AUTHOR_OF_COMMENT), {"target": event.comment_id})]
    if event.contribution_id is not None:
        return [(_sql(_AUTHOR_OF_CONTRIBUTION), {"target": event.contribution_id})]
    return []
