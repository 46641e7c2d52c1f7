"""The change stream: every write says what changed, in its own transaction, to whoever listens.

One `after_flush` listener reads what the ORM wrote (prompts, key points, contributions, members'
shown names); writes the ORM cannot see (counters moved by SQL, bulk imports) call `record`
themselves. Either way each listener (page versions, the search engine, and notification
events) hears one `Changes` while the writing transaction is still open, so what it writes
commits or rolls back with the change; after the commit it hears `committed`.

Listeners are registered by the application factory; this module imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, scoped_session

from forum.mentions import mentioned_usernames
from forum.models import Comment, Contribution, KeyPoint, ModerationAction, Prompt, User

# What a page shows of a member: a change to these moves the pages their writing is on.
SHOWN_USER_FIELDS = ("display_name", "headline")
# Moderators' acts (audit log lines) that members hear of: their content hidden, restored, picked.
NEWSWORTHY_ACTIONS = ("hide", "restore", "feature")


@dataclass(frozen=True)
class News:
    """Something members may hear of (forum/services/notification_events.py): `kind` is
    "prompt", "contribution" or "comment" (written), "mention" (an edit naming someone new), a
    moderator's act on a contribution or comment ("hide", "restore", "feature"), or "outcome" (a
    member's first report of trying a contribution, recorded by forum/services/outcomes.py);
    `actor_id` who did it, `reason` the moderator's (an outcome's: the result reported)."""

    kind: str
    actor_id: int | None
    prompt_id: int | None = None
    contribution_id: int | None = None
    comment_id: int | None = None
    reason: str = ""


@dataclass
class Changes:
    """What one flush or one SQL-side write changed, by id."""

    # Prompts whose own text, key points, topic, tags or status changed.
    prompts: set[int] = field(default_factory=set)
    # Contributions written, edited, moved between states or re-rated: id -> its prompt's id.
    contributions: dict[int, int] = field(default_factory=dict)
    # Prompts whose helpful / not helpful votes moved (their page, not their text).
    prompt_votes: set[int] = field(default_factory=set)
    # Contributions whose usefulness moved (a rating): id -> its prompt's id. Their text did not
    # change: the Whoosh index restores the stored usefulness in the background (its worker).
    rescored: dict[int, int] = field(default_factory=dict)
    # Contributions whose outcome counters moved: id -> its prompt's id (their page's numbers;
    # neither their text nor their usefulness, so the search index has nothing to change).
    tried: dict[int, int] = field(default_factory=dict)
    # Members whose shown name or headline changed.
    authors: set[int] = field(default_factory=set)
    # Comments written, edited or moved between states: id -> its contribution's prompt's id.
    comments: dict[int, int] = field(default_factory=dict)
    # What members may hear of, in the order it happened (ORM writes only: imports tell nobody).
    news: list[News] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.prompts
            or self.contributions
            or self.prompt_votes
            or self.rescored
            or self.tried
            or self.authors
            or self.news
            or self.comments
        )

    def pages(self) -> set[int]:
        """The prompts whose page shows something new (authors aside: a listener looks those up)."""
        return (
            self.prompts
            | set(self.contributions.values())
            | self.prompt_votes
            | set(self.rescored.values())
            | set(self.tried.values())
            | set(self.comments.values())
        )


class Listener(Protocol):
    def noted(self, connection: Connection, changes: Changes, info: dict) -> None:
        """Inside the writing transaction: write what must commit with the change. `info` is the
        session's own dict (empty for a bare connection), for what `committed` needs later."""

    def committed(self, info: dict) -> None:
        """After the writing transaction committed."""

    def rolled_back(self, info: dict) -> None:
        """After it rolled back: whatever `noted` put in `info` is void."""


_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Add a listener, once of each kind (the factory may run many times in one process)."""
    if not any(type(known) is type(listener) for known in _listeners):
        _listeners.append(listener)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


def record(target: Session | scoped_session | Connection, changes: Changes) -> None:
    """Say what a write the ORM cannot see changed (an SQL UPDATE, a bulk INSERT); no commit:
    the caller's transaction carries what the listeners write."""
    if not changes:
        return
    if isinstance(target, Connection):
        connection, info = target, {}
    else:  # a Session, or the application's scoped session
        connection, info = target.connection(), target.info
    for listener in _listeners:
        listener.noted(connection, changes, info)


def flushed(session: Session) -> Changes:
    """What the ORM is writing in this flush."""
    changes = Changes()
    changes.news = [n for n in map(_news, session.new) if n is not None]
    changes.news += [n for n in map(_mentioned_anew, session.dirty) if n is not None]
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Prompt) and obj.id is not None:
            changes.prompts.add(obj.id)
        elif isinstance(obj, Contribution) and obj.id is not None:
            changes.contributions[obj.id] = obj.prompt_id
        elif isinstance(obj, Comment) and obj.id is not None:
            changes.comments[obj.id] = _prompt_of(obj)
        elif isinstance(obj, KeyPoint) and obj.prompt_id is not None:
            changes.prompts.add(obj.prompt_id)
        elif isinstance(obj, User) and obj.id is not None and _shown_fields_changed(obj):
            changes.authors.add(obj.id)
    return changes


def _news(obj) -> News | None:
    """What members may hear of a row the ORM inserts."""
    if isinstance(obj, Prompt):
        return News("prompt", obj.author_id, prompt_id=obj.id)
    if isinstance(obj, Contribution):
        return News("contribution", obj.author_id, obj.prompt_id, contribution_id=obj.id)
    if isinstance(obj, Comment):
        return News("comment", obj.author_id, None, obj.contribution_id, comment_id=obj.id)
    if isinstance(obj, ModerationAction) and obj.action in NEWSWORTHY_ACTIONS:
        if obj.target_type == "contribution":
            return News(obj.action, obj.actor_id, contribution_id=obj.target_id, reason=obj.reason)
        if obj.target_type == "comment":
            return News(obj.action, obj.actor_id, comment_id=obj.target_id, reason=obj.reason)
    return None


def _prompt_of(comment: Comment) -> int:
    """The prompt a comment's page is: the services hand the comment its contribution, so this
    reads no row (a bare comment loads its contribution once)."""
    return comment.contribution.prompt_id


def _mentioned_anew(obj) -> News | None:
    """An edit of a contribution or comment whose text now names a member it did not before."""
    if not isinstance(obj, Contribution | Comment):
        return None
    history = inspect(obj).attrs.body.history
    if not history.added:
        return None
    before = set().union(*(mentioned_usernames(text or "") for text in history.deleted))
    if not mentioned_usernames(obj.body or "") - before:
        return None
    if isinstance(obj, Comment):
        return News("mention", obj.author_id, None, obj.contribution_id, comment_id=obj.id)
    return News("mention", obj.author_id, obj.prompt_id, contribution_id=obj.id)


def _shown_fields_changed(user: User) -> bool:
    state = inspect(user)
    return any(state.attrs[name].history.has_changes() for name in SHOWN_USER_FIELDS)


def _after_flush(session: Session, _flush_context) -> None:
    record(session, flushed(session))


def _after_commit(session: Session) -> None:
    for listener in _listeners:
        listener.committed(session.info)


def _after_rollback(session: Session, _previous_transaction) -> None:
    for listener in _listeners:
        listener.rolled_back(session.info)
