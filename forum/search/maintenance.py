"""Rebuilding the index and checking it against the database."""

from __future__ import annotations

import time

from forum.search import documents, get_engine, outbox

TOLERANCE = 1e-6


def reindex(progress=None) -> dict:
    """Rebuild from the database. Holds the writer lock throughout, so changes made meanwhile
    wait in the outbox and are applied to the new index right after the swap."""
    engine = get_engine()
    started = time.perf_counter()
    if not outbox.in_use():
        count = engine.rebuild((), progress)
        outbox.clear()
        seconds = time.perf_counter() - started
        return {"documents": count, "seconds": seconds,
                "per_second": count / seconds if seconds else 0}  # fmt: skip
    with outbox.writer_lock(wait=600) as locked:
        if not locked:
            raise RuntimeError("another process holds the search writer lock")
        count = engine.rebuild(documents.all_documents(), progress)
        outbox.drain(locked=True)
    seconds = time.perf_counter() - started
    return {"documents": count, "seconds": seconds, "per_second": count / seconds if seconds else 0}


def check() -> dict:
    """Keys missing from the index, extra in it, or stored with a stale usefulness."""
    engine = get_engine()
    if hasattr(engine, "drift"):
        # Vectors kept in the transaction: only writes around the triggers can make drift.
        return {**engine.drift(), "pending": 0}
    indexed = engine.stored_state()
    missing, stale = [], []
    expected_keys = set()
    for key, usefulness in documents.expected_state():
        expected_keys.add(key)
        if key not in indexed:
            missing.append(key)
        elif abs(indexed[key] - usefulness) > TOLERANCE:
            stale.append(key)
    extra = sorted(set(indexed) - expected_keys)
    return {"missing": missing, "extra": extra, "stale": stale, "pending": outbox.pending()}
