"""Notification events: a listener of the change stream (forum/changes.py) that writes, in the
writing transaction, one event row per thing members may hear of (a new contribution or
comment, a moderator's act on a member's content, a first outcome reported on a strategy) and
the watches authors keep of what they wrote.

One row per write, however many members follow what changed: the worker turns events into
notifications (forum/services/delivery.py), so a write to a prompt 10,000 members watch costs
what it costs with no watcher.
"""

from __future__ import annotations

import logging

from flask import has_app_context
from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from forum.changes import Changes, News
from forum.models import Comment, NotificationEvent, Subscription
from forum.models.types import utcnow
from forum.services import notification_tasks

log = logging.getLogger(__name__)

EVENTS = NotificationEvent.__table__
SUBSCRIPTIONS = Subscription.__table__
RECORDED = "notification_events"  # in the session's info: this transaction recorded events


def insert_ignoring_duplicates(connection: Connection, table):
    """An INSERT that skips rows a unique constraint already holds (ON CONFLICT DO NOTHING)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


class NotificationEvents:
    """Writes the events and the authors' own watches of a change, in its transaction."""

    def noted(self, connection: Connection, changes: Changes, info: dict) -> None:
        if not changes.news:
            return
        now = utcnow()
        events, watches = [], []
        for news in changes.news:
            if news.kind == "prompt" and news.actor_id is not None:
                watches.append(_watch(news.actor_id, "prompt", news.prompt_id, now))
            elif news.kind in ("contribution", "comment"):
                events.append(_event(news, now))
                # Its author hears of comments on it; a commenter, of the comments after theirs.
                if news.actor_id is not None:
                    watches.append(_watch(news.actor_id, "contribution", news.contribution_id, now))
            elif news.kind in ("mention", "outcome"):  # an edit naming someone new; a report
                events.append(_event(news, now))
            elif news.kind in ("hide", "restore", "feature"):
                events.append(_event(news, now, _contribution_of(connection, news)))
        if events:
            connection.execute(insert(EVENTS), events)
            info[RECORDED] = True
        if watches:
            connection.execute(insert_ignoring_duplicates(connection, SUBSCRIPTIONS), watches)

    def committed(self, info: dict) -> None:
        """Queue their delivery for the worker. Should queueing fail, the events wait in the
        table for the worker's sweep: the write has committed, and stays a success."""
        if info.pop(RECORDED, False) and has_app_context():
            try:
                notification_tasks.deliver_notifications.enqueue()
            except Exception:  # noqa: BLE001 - the sweep delivers them
                log.exception("notifications: queueing delivery failed; the sweep will deliver")

    def rolled_back(self, info: dict) -> None:
        """Nothing to undo: the events rolled back with the change."""
        info.pop(RECORDED, None)


def _contribution_of(connection: Connection, news: News) -> int | None:
    """The contribution a moderator's act is on, or the one its comment is under."""
    if news.contribution_id is not None or news.comment_id is None:
        return news.contribution_id
    return connection.scalar(select(Comment.contribution_id).where(Comment.id == news.comment_id))


def _event(news: News, now, contribution_id: int | None = None) -> dict:
    return {
        "kind": news.kind,
        "actor_id": news.actor_id,
        "contribution_id": contribution_id or news.contribution_id,
        "comment_id": news.comment_id,
        "reason": news.reason,
        "created_at": now,
    }


def _watch(user_id: int, target_type: str, target_id, now) -> dict:
    return {
        "user_id": user_id,
        "target_type": target_type,
        "target_id": target_id,
        "level": "watching",
        "created_at": now,
    }


def pending_count(connection: Connection) -> int:
    """How many events wait for the worker (for tests and the command line)."""
    waiting = select(func.count()).select_from(EVENTS).where(EVENTS.c.delivered_at.is_(None))
    return connection.scalar(waiting) or 0
