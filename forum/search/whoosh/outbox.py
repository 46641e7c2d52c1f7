"""The Whoosh engine's transactional outbox: Whoosh is not transactional, the database is.

A change to a prompt or contribution adds outbox rows in the writing transaction (the engine
hears it from the change stream, forum/changes.py, so a rollback leaves nothing). After commit,
one writer at a time across processes (a file lock) applies the rows to the index and deletes
what it applied. A crash or a busy lock loses nothing: the rows wait for the next write, the next
search, or the next start.
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from forum.changes import Changes
from forum.extensions import db
from forum.models import Contribution, SearchOutbox
from forum.search import documents

# A session whose info says False here writes no outbox rows (the outbox's own sessions, and
# test fixtures that never search).
CAPTURE = "search_capture"
BATCH = 500


def record(connection: Connection, changes: Changes, info: dict) -> bool:
    """Queue what these changes mean for the index; True when anything was queued."""
    if not info.get(CAPTURE, True):
        return False
    items = {("prompt", i) for i in changes.prompts}
    items |= {("contribution", i) for i in (*changes.contributions, *changes.rescored)}
    if not items:
        return False
    connection.execute(
        insert(SearchOutbox), [{"kind": kind, "target_id": i} for kind, i in sorted(items)]
    )
    return True


@contextlib.contextmanager
def writer_lock(folder: Path, wait: float):
    """The one-writer-at-a-time lock across processes; yields False when it was not had in time."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "outbox.lock", "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.005)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _session() -> Session:
    return Session(db.engine, info={CAPTURE: False})


def pending() -> int:
    """How many rows wait (at most one batch is counted), on the request's own session."""
    return len(db.session.execute(select(SearchOutbox.id).limit(BATCH)).all())


# Whether any row waits, asked before every search on the request's own session: the table's
# column rather than the model's (no ORM compiling of the statement), at most one row read.
_ANY_WAITING = select(SearchOutbox.__table__.c.id).limit(1)


def waiting() -> bool:
    """Whether any row waits (before every search: the cheapest question)."""
    return db.session.execute(_ANY_WAITING).first() is not None


def queued_ids() -> list[int]:
    """The rows waiting now, committed (a rebuild that starts after this covers them)."""
    with _session() as session:
        return list(session.scalars(select(SearchOutbox.id)))


def forget(ids: list[int] | None = None) -> None:
    """Delete these rows (all of them when None): what they asked for is done another way."""
    with _session() as session:
        if ids is None:
            session.execute(delete(SearchOutbox))
        for start in range(0, len(ids or ()), BATCH):
            chunk = ids[start : start + BATCH]
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(chunk)))
        session.commit()


def _answers_to(prompt_ids: set[int], session: Session) -> set[int]:
    """Visible contributions of changed prompts: their documents carry the prompt's title, key
    point, topic and tags, so a prompt edit must re-index them too."""
    if not prompt_ids:
        return set()
    return set(
        session.scalars(
            select(Contribution.id).where(
                Contribution.prompt_id.in_(prompt_ids), Contribution.status == "visible"
            )
        )
    )


def drain(apply) -> int:
    """Apply every waiting row with `apply(documents, removed_keys)`, a batch per commit; the
    caller holds the writer lock. Returns how many rows were applied."""
    applied = 0
    with _session() as session:
        while True:
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.target_id)
                .order_by(SearchOutbox.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            prompts = {r.target_id for r in rows if r.kind == "prompt"}
            contributions = {r.target_id for r in rows if r.kind == "contribution"}
            contributions |= _answers_to(prompts, session)
            found, removed = documents.documents_for(prompts, contributions, session)
            apply(found, removed)
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
            session.commit()
            applied += len(rows)
    return applied
