"""Rebuilding the index and checking it against the database: the one path every caller (the
CLI, the importer, benchmarks) takes, whichever engine runs."""

from __future__ import annotations

from forum.search.choice import get_engine
from forum.search.engine import Drift, Progress, Rebuilt


def reindex(progress: Progress | None = None) -> Rebuilt:
    """Rebuild from the database; searches keep answering meanwhile."""
    return get_engine().rebuild(progress)


def after_import(new_documents: int, progress: Progress | None = None) -> str:
    """Bring search up to date after an import recorded about this many new documents; says
    how."""
    return get_engine().after_bulk_load(new_documents, progress)


def check() -> Drift:
    """How the index differs from the database."""
    return get_engine().check()
