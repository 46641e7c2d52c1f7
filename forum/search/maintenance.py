"""Rebuilding the index and checking it against the database."""

from __future__ import annotations

import time
from collections import Counter

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
    """Keys missing from the index, extra in it, or stored with a stale usefulness; on Whoosh
    also the suggestion word list: whether there is one, how many of its words no visible
    content holds, how many it counts wrong."""
    engine = get_engine()
    if hasattr(engine, "drift"):
        # Vectors kept in the transaction: only writes around the triggers can make drift.
        # Its suggestions are checked against the visible vectors as they are made.
        return {**engine.drift(), "pending": 0, **CLEAN_WORDS}
    indexed = engine.stored_state()
    listed = engine.words().counts()
    missing, stale = [], []
    expected_keys = set()
    expected_words: Counter = Counter()
    for document in documents.all_documents():
        key, usefulness = document["key"], document["usefulness"]
        expected_keys.add(key)
        expected_words.update(engine.word_forms(document))
        if key not in indexed:
            missing.append(key)
        elif abs(indexed[key] - usefulness) > TOLERANCE:
            stale.append(key)
    extra = sorted(set(indexed) - expected_keys)
    drift = {"missing": missing, "extra": extra, "stale": stale, "pending": outbox.pending()}
    if listed is None:
        return {**drift, "word_list": False, "stale_words": 0, "miscounted_words": 0}
    return {
        **drift,
        "word_list": True,
        "stale_words": sum(1 for word, n in listed.items() if n > 0 and not expected_words[word]),
        "miscounted_words": sum(
            1
            for word in set(listed) | set(expected_words)
            if listed.get(word, 0) != expected_words[word]
        ),
    }


CLEAN_WORDS = {"word_list": True, "stale_words": 0, "miscounted_words": 0}
