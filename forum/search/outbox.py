"""The transactional outbox between the database and a non-transactional index.

A change to a prompt or contribution adds outbox rows in the same transaction (captured in
`after_flush`, so a rollback leaves nothing). After commit, one writer at a time across processes
(a file lock) applies the rows to the index and deletes what it applied. A crash or a busy lock
loses nothing: the rows wait for the next write, the next search, or the next start.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import Contribution, KeyPoint, Prompt, SearchOutbox
from forum.search import documents

log = logging.getLogger(__name__)
PENDING = "search_outbox_pending"
BATCH = 500


def in_use() -> bool:
    """Only the Whoosh engine needs an outbox; PostgreSQL keeps its vectors in the transaction."""
    return not has_app_context() or current_app.config.get("SEARCH_BACKEND") == "whoosh"


def enqueue(kind: str, target_id: int, session: Session | None = None) -> None:
    """Record a change the ORM cannot see (a counter moved by an SQL UPDATE); no commit."""
    if not in_use():
        return
    session = session or db.session
    session.execute(insert(SearchOutbox).values(kind=kind, target_id=target_id))
    session.info[PENDING] = True


def _changed_items(session: Session) -> set[tuple[str, int]]:
    items: set[tuple[str, int]] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Prompt) and obj.id is not None:
            items.add(("prompt", obj.id))
        elif isinstance(obj, Contribution) and obj.id is not None:
            items.add(("contribution", obj.id))
        elif isinstance(obj, KeyPoint) and obj.prompt_id is not None:
            items.add(("prompt", obj.prompt_id))
    return items


def _capture(session: Session, _flush_context) -> None:
    if not session.info.get("search_capture", True) or not in_use():
        return
    items = _changed_items(session)
    if items:
        session.connection().execute(
            insert(SearchOutbox), [{"kind": kind, "target_id": i} for kind, i in sorted(items)]
        )
        session.info[PENDING] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(PENDING, False):
        try:
            drain(wait=2.0)
        except Exception:  # noqa: BLE001 - the rows stay in the outbox for the next drain
            log.exception("search outbox: drain after commit failed; it will be retried")


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    """Listen on every session, once per process."""
    if not event.contains(Session, "after_flush", _capture):
        event.listen(Session, "after_flush", _capture)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))


@contextlib.contextmanager
def writer_lock(wait: float):
    """The one-writer-at-a-time lock across processes; yields False when it was not had in time."""
    folder = Path(current_app.config["SEARCH_PATH"])
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


def pending(session: Session | None = None) -> int:
    session = session or db.session
    return len(session.execute(select(SearchOutbox.id).limit(BATCH)).all())


def clear() -> None:
    """Forget queued rows (the engine in use needs none: they were left by an earlier one)."""
    with Session(db.engine, info={"search_capture": False}) as session:
        session.execute(delete(SearchOutbox))
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


def drain(wait: float = 2.0, *, locked: bool = False) -> int:
    """Apply the outbox to the index; returns how many rows were applied."""
    from forum.search import get_engine

    engine = get_engine()
    if engine.name != "whoosh":
        return 0
    with contextlib.ExitStack() as stack:
        if not locked and not stack.enter_context(writer_lock(wait)):
            return 0
        applied = 0
        with Session(db.engine, info={"search_capture": False}) as session:
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
                engine.apply(found, removed)
                session.execute(
                    delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows]))
                )
                session.commit()
                applied += len(rows)
    return applied
