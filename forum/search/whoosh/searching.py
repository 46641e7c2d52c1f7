"""Reading the Whoosh index for a reader's query: its best hits, with their scores and the
numbers the index stored.

Words put side by side match softly (forum/search/soft.py). The query as typed, every word
required, is asked first, as before: when it fills the candidates, no hit holding fewer words
could rank among them, and the query costs what it always did. Otherwise the soft passes (a
MinMatch each, minmatch.py) are asked instead, hits holding the most words first: most of the
words, then, while the candidates are still short, any one of them. A query of more
words than choose the candidates (soft.CHOOSING: a pasted question) asks the soft query alone:
all of its words are almost never held together, and a hit holding them all ranks first in the
soft query too."""

from __future__ import annotations

from datetime import UTC

from whoosh import query as wq

from forum.search.engine import EngineHit, Stored
from forum.search.query import ParsedQuery
from forum.search.soft import CHOOSING, in_tiers, soft_parts
from forum.search.whoosh import minmatch, queries


def find(searcher, parsed: ParsedQuery, limit: int) -> list[EngineHit]:
    """The best `limit` hits; newest first without words."""
    estimate = queries.frequencies(searcher)
    # Filters restrict the hits without adding to their scores. (Scored inside an And, they
    # added a constant to every score, and Whoosh's top-N skipping then lost some hits.)
    text, allow, deny = queries.query_parts(searcher.schema, parsed, estimate)
    if text is None:
        results = searcher.search(
            allow or wq.Every(), limit=limit, sortedby="created", reverse=True, mask=deny
        )
        return [_hit(hit, 1.0, 1.0) for hit in results]
    node = queries.text_node(parsed, estimate)
    parts = soft_parts(node)
    results = soft = None
    if parts is None or len(parts[0]) <= CHOOSING:
        results = searcher.search(text, limit=limit, filter=allow, mask=deny)
        if results.scored_length() >= limit or parts is None:
            return [_hit(hit, float(hit.score or 1.0), 1.0) for hit in results]
    # Too few hold every word (or a pasted question, whose words are almost never held
    # together): the soft passes, most of the words then any one, until the candidates fill.
    for loose in (False, True):
        asked = queries.soft_query(searcher.schema, node, loose=loose)
        if asked is None:
            continue
        soft = asked
        results = searcher.search(soft[0], limit=limit, filter=allow, mask=deny)
        if results.scored_length() >= limit:
            break
    if soft is None:  # nothing soft after all (repeated words): the query as typed
        if results is None:
            results = searcher.search(text, limit=limit, filter=allow, mask=deny)
        return [_hit(hit, float(hit.score or 1.0), 1.0) for hit in results]
    words = soft[1]
    scores = in_tiers(
        [(minmatch.text_score(h.score), minmatch.weighed(h.score), minmatch.held(h.score))
         for h in results],
        words,
        minmatch.known(soft[0], searcher),
    )  # fmt: skip
    return [
        _hit(hit, score, minmatch.held(hit.score) / words)
        for hit, score in zip(results, scores, strict=True)
    ]


def _hit(hit, score: float, matched: float) -> EngineHit:
    stored = hit.fields()
    created = stored.get("created")
    return EngineHit(
        key=stored["key"],
        type=stored["type"],
        id=stored["id"],
        prompt_id=stored["prompt_id"],
        score=score,
        matched=matched,
        topic=stored.get("topic", ""),
        tags=[t for t in (stored.get("tags") or "").split(",") if t],
        author=stored.get("author", ""),
        created=created.replace(tzinfo=UTC) if created else None,
        text=stored.get("body", ""),
        stored=Stored(
            stored.get("usefulness", 0.0), stored.get("ratings", 0), stored.get("featured", False)
        ),
    )
