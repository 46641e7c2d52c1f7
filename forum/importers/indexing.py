"""Making an import searchable once it is committed.

The import queues its prompts in the search outbox in its own transaction, so nothing is lost
whatever happens next. A small import is then applied from the outbox like any other change. An
import that at least doubles the index rebuilds it instead (a fresh generation written in
parallel, swapped in atomically, its memory bounded by the writer's pool whatever the size of
the dump), and drops the queued rows the rebuild already covers.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import delete, func, select

from forum.extensions import db
from forum.models import Contribution, Prompt, SearchOutbox
from forum.search import documents, get_engine, outbox

REBUILD_FROM = 2000  # imported documents


def searchable_documents() -> int:
    return db.session.scalar(select(func.count(Prompt.id))) + db.session.scalar(
        select(func.count(Contribution.id)).where(Contribution.status == "visible")
    )


def rebuilds(new_documents: int) -> bool:
    """Whether indexing these many new documents rebuilds the whole index."""
    if current_app.config["SEARCH_BACKEND"] != "whoosh" or new_documents < REBUILD_FROM:
        return False
    return 2 * new_documents >= searchable_documents()


def index_imported(new_documents: int, progress: Callable[[int], None] | None = None) -> str:
    """Bring the search index up to date after an import; says how."""
    if current_app.config["SEARCH_BACKEND"] != "whoosh":
        return "kept up to date by the database"
    if not rebuilds(new_documents):
        applied = outbox.drain(wait=60.0)
        return f"{applied} prompts indexed with their contributions"
    with outbox.writer_lock(wait=600) as locked:
        if not locked:
            return "left queued: another process is writing the index"
        covered = db.session.scalar(select(func.max(SearchOutbox.id))) or 0
        db.session.commit()  # end the read, so the rebuild sees everything committed
        count = get_engine().rebuild(documents.all_documents(), progress)
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= covered))
        db.session.commit()
        outbox.drain(locked=True)  # what others changed meanwhile
    return f"index rebuilt with {count} documents"
