"""A member's own row of something (their rating or outcome of a contribution, their helpful vote
on a prompt): one per member, replaced or removed, safe when the same member's two requests
write it at once.

A replacement deletes the old row (returning what it held), then inserts the new one unless a
row with the same key is there already (ON CONFLICT DO NOTHING): when the member's other request
committed its row after this DELETE looked, the replacement starts again, so the counters are
moved once per row that really changed, from the value it really held.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from forum.extensions import db
from forum.models.types import utcnow
from forum.services.errors import Conflict

#: How often a member's row is replaced when the same member's other request keeps writing it.
ATTEMPTS = 3


def insert_unless_present(model, **values) -> bool:
    """INSERT the row unless one with the same unique key exists (or is being written: then the
    other transaction is waited for). True when this statement inserted it."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**values).on_conflict_do_nothing()
    return db.session.execute(statement.returning(model.id)).first() is not None


def _delete_own(model, owner: dict, *columns):
    return db.session.execute(
        delete(model)
        .where(*(getattr(model, name) == value for name, value in owner.items()))
        .returning(*columns)
        .execution_options(synchronize_session=False)
    ).first()


def replace(model, value_column: str, owner: dict, raced: str, **values):
    """Put the member's row (`owner`: its unique key, e.g. contribution_id and user_id) in place
    of the one they had, keeping when they first wrote it; returns the value the old row held in
    `value_column` (None when they had none). Conflict(`raced`) when their other request kept
    writing it."""
    now = utcnow()
    if hasattr(model, "updated_at"):
        values["updated_at"] = now
    for _attempt in range(ATTEMPTS):
        # The first statement writes, so SQLite takes its write lock before anything is read.
        old = _delete_own(model, owner, getattr(model, value_column), model.created_at)
        created_at = old.created_at if old else now
        if insert_unless_present(model, **owner, created_at=created_at, **values):
            return old[0] if old else None
        # The same member's other request committed its row after this DELETE looked.
    raise Conflict(raced)


def remove(model, value_column: str, owner: dict):
    """Delete the member's row (`owner`: its unique key), if any; returns the value it held in
    `value_column`, or None."""
    old = _delete_own(model, owner, getattr(model, value_column))
    return old[0] if old else None
