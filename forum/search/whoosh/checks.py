"""`search check` on the Whoosh engine: the index and its suggestion word list against the
database."""

from __future__ import annotations

from collections import Counter

from forum.search import documents
from forum.search.engine import Drift
from forum.search.whoosh import outbox, spelling

TOLERANCE = 1e-6
REPAIR = "Run `flask --app forum search reindex` to rebuild the index and its suggestion word list."


def drift(engine) -> Drift:
    """Keys missing from the index, extra in it, or stored with a stale usefulness; rows still
    queued; and the word list: whether there is one, how many of its words no visible content
    holds, how many it counts wrong."""
    indexed = engine.stored_state()
    listed = engine.words().counts()
    missing, stale = [], []
    expected_keys = set()
    expected_words: Counter = Counter()
    for document in documents.all_documents():
        key, usefulness = document["key"], document["usefulness"]
        expected_keys.add(key)
        expected_words.update(spelling.forms(document))
        if key not in indexed:
            missing.append(key)
        elif abs(indexed[key] - usefulness) > TOLERANCE:
            stale.append(key)
    extra = sorted(set(indexed) - expected_keys)
    pending = outbox.pending()
    notes = [f"pending in outbox: {pending}"]
    if listed is None:
        facts = {"pending": pending, "word_list": False, "stale_words": 0, "miscounted_words": 0}
        notes.append(
            "no suggestion word list: suggestions are off until"
            " `flask --app forum search reindex` writes one."
        )
    else:
        facts = {
            "pending": pending,
            "word_list": True,
            "stale_words": sum(1 for w, n in listed.items() if n > 0 and not expected_words[w]),
            "miscounted_words": sum(
                1
                for w in set(listed) | set(expected_words)
                if listed.get(w, 0) != expected_words[w]
            ),
        }
        notes.append(f"suggestion words no visible content holds: {facts['stale_words']}")
        notes.append(f"suggestion words counted wrong: {facts['miscounted_words']}")
    return Drift(
        missing,
        extra,
        stale,
        facts=facts,
        notes=notes,
        other_drift=bool(
            not facts["word_list"] or facts["stale_words"] or facts["miscounted_words"]
        ),
        repair=REPAIR,
        in_step="No drift: the index matches the database.",
    )
