"""Versions of prompt pages: a counter on each prompt that moves, in the same transaction, with
every change to what its page shows, so a cached copy of the page is never served stale.

Changes made through the ORM are caught in `after_flush`; counters moved by SQL (ratings,
helpful votes) call `touch` themselves.
"""

from __future__ import annotations

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import Contribution, KeyPoint, Prompt, User

SHOWN_USER_FIELDS = ("display_name", "headline")


def touch(*prompt_ids: int, session: Session | None = None) -> None:
    """Move the version of these prompts (no commit: the caller's transaction carries it)."""
    ids = sorted({i for i in prompt_ids if i is not None})
    if ids:
        table = Prompt.__table__
        (session or db.session).connection().execute(
            update(table).where(table.c.id.in_(ids)).values(version=table.c.version + 1)
        )


def _user_changed_shown_fields(user: User) -> bool:
    state = inspect(user)
    return any(state.attrs[name].history.has_changes() for name in SHOWN_USER_FIELDS)


def _changed_prompts(session: Session) -> tuple[set[int], set[int]]:
    prompt_ids: set[int] = set()
    authors: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Prompt) and obj.id is not None:
            prompt_ids.add(obj.id)
        elif isinstance(obj, Contribution | KeyPoint) and obj.prompt_id is not None:
            prompt_ids.add(obj.prompt_id)
        elif isinstance(obj, User) and obj.id is not None and _user_changed_shown_fields(obj):
            authors.add(obj.id)
    return prompt_ids, authors


def _after_flush(session: Session, _flush_context) -> None:
    prompt_ids, authors = _changed_prompts(session)
    if authors:
        prompt_ids |= set(
            session.connection().scalars(
                select(Contribution.prompt_id).where(Contribution.author_id.in_(authors))
            )
        )
        prompt_ids |= set(
            session.connection().scalars(select(Prompt.id).where(Prompt.author_id.in_(authors)))
        )
    if prompt_ids:
        touch(*prompt_ids, session=session)


def install() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


_VERSION = select(Prompt.__table__.c.version, Prompt.__table__.c.slug).where(
    Prompt.__table__.c.id == bindparam("prompt_id")
)


def version_of(prompt_id: int) -> tuple[int, str] | None:
    """The prompt's version and slug, in one narrow query; None when there is no such prompt.

    On the hot path of every cached page: a prebuilt Core statement on a pooled connection of
    its own, without the ORM session's bookkeeping.
    """
    with db.engine.connect() as connection:
        row = connection.execute(_VERSION, {"prompt_id": prompt_id}).first()
    return (row.version, row.slug) if row else None
