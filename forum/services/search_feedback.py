"""Search variants the service offers (`SEARCH_VARIANT`): "plain", the engine's hits as they
are, and "prf", pseudo-relevance feedback.

prf: the engine is asked once as usual; the words that most set its top FEEDBACK_HITS hits apart
(tf x idf: how often they hold a word, over how many of the engine's documents hold it, by the
engine's own `frequencies`, or tf alone while the engine cannot estimate them; held by at least
two of those hits, neither a stop word nor a word of the query) are then asked of the engine as
a second query, the EXPANSION words ORed, under the same filters. Each hit's text score becomes
its first score (over the best first score) plus EXPANSION_WEIGHT x its second score (over the
best second score): hits holding the expansion words move up, and hits holding none of the
reader's words but some expansion words join the candidates, mostly below those the reader's
words found (their `matched` is 0). The engines are asked through their interface only (search,
frequencies).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import replace

from flask import current_app

from forum.search import documents
from forum.search.bounds import STOP_WORDS
from forum.search.engine import EngineHit
from forum.search.query import Or, ParsedQuery, Term

log = logging.getLogger(__name__)

PLAIN = "plain"
FEEDBACK_HITS = 5  # the top hits read for feedback
EXPANSION = 5  # words added to the query
EXPANSION_WEIGHT = 0.3  # of the expansion's score, against the reader's words' at 1
MIN_HELD = 2  # an expansion word is held by at least this many of the top hits
MAX_ASKED = 200  # distinct candidate words whose frequency is asked
WORD = re.compile(r"[^\W\d_]{3,}")


def variant(offered: tuple[str, ...]) -> str:
    """The variant the app is set to; an unknown name is logged and read as "plain"."""
    name = current_app.config.get("SEARCH_VARIANT") or PLAIN
    if name not in offered:
        log.warning("SEARCH_VARIANT %r is not one of %s: searching plain", name, offered)
        return PLAIN
    return name


def search(engine, parsed: ParsedQuery, limit: int, name: str) -> list[EngineHit]:
    """The engine's hits for `parsed`, through variant `name`."""
    hits = engine.search(parsed, limit)
    if "prf" not in name.split("+") or not hits or parsed.text is None:
        return hits
    words = expansion(engine, parsed, hits[:FEEDBACK_HITS])
    if not words:
        return hits
    terms = [Term(w) for w in words]
    second = replace(parsed, text=terms[0] if len(terms) == 1 else Or(tuple(terms)))
    return merged(hits, engine.search(second, limit), limit)


def expansion(engine, parsed: ParsedQuery, top: list[EngineHit]) -> list[str]:
    """The EXPANSION words that most set these hits apart, the most telling first."""
    asked = {w.lower() for w in parsed.words()}
    tf: Counter = Counter()
    held: Counter = Counter()
    for text in _texts(top):
        words = [w for w in (m.lower() for m in WORD.findall(text)) if _candidate(w, asked)]
        tf.update(words)
        held.update(set(words))
    candidates = [w for w, n in held.most_common() if n >= MIN_HELD][:MAX_ASKED]
    if not candidates:
        return []
    counts, total = engine.frequencies(candidates)
    if not counts or total <= 0:  # the engine cannot estimate yet (no statistics): tf alone
        return sorted(candidates, key=lambda w: (-tf[w], w))[:EXPANSION]
    weight = {}
    for word in candidates:
        found = counts.get(word)
        if not found:  # not estimated, or held by no document the engine reads
            continue
        weight[word] = tf[word] * max(0.0, math.log((total + 1) / (found + 1)))
    ranked = sorted((w for w in weight if weight[w] > 0), key=lambda w: (-weight[w], w))
    return ranked[:EXPANSION]


def _candidate(word: str, asked: set[str]) -> bool:
    if word in STOP_WORDS or word in asked:
        return False
    # A form of a word of the query ("teaching" for "teach") adds nothing.
    return not any(len(a) >= 4 and (word.startswith(a) or a.startswith(word)) for a in asked)


def _texts(top: list[EngineHit]) -> list[str]:
    """The title and text of each of these hits, as the engines index them."""
    prompts = {h.id for h in top if h.type == "prompt"}
    contributions = {h.id for h in top if h.type == "contribution"}
    found, _ = documents.documents_for(prompts, contributions)
    wanted = {h.key for h in top}
    return [f"{d['title']} {d['body']}" for d in found if d["key"] in wanted]


def merged(first: list[EngineHit], second: list[EngineHit], limit: int) -> list[EngineHit]:
    """The first hits rescored with the second's (see the module's docstring), best first."""
    top1 = max((h.score for h in first), default=0.0) or 1.0
    top2 = max((h.score for h in second), default=0.0) or 1.0
    extra = {h.key: h.score / top2 for h in second}
    hits = {h.key: replace(h, score=h.score / top1 + EXPANSION_WEIGHT * extra.get(h.key, 0.0))
            for h in first}  # fmt: skip
    for hit in second:
        if hit.key not in hits:
            hits[hit.key] = replace(hit, score=EXPANSION_WEIGHT * extra[hit.key], matched=0.0)
    return sorted(hits.values(), key=lambda h: h.score, reverse=True)[:limit]
