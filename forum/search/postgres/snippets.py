"""Snippets on PostgreSQL: the hit's plain text cut into fragments around the words that stem to
the query's lexemes, as Whoosh's snippets are cut (forum/search/fragments.py).

`ts_headline` parsed every text it was given (0.2-0.5 ms per 1,000 characters here, and answers
run to 40,000), so it could only be handed a window of each text. Here a regular expression
finds the words that may stem to a query lexeme (they share the start of its stem) in the
whole text, and PostgreSQL's own parser and dictionaries say which of them do: one statement
for the words a worker has not met yet (each word's lexemes are kept), often none.
"""

from __future__ import annotations

import html
import re

from sqlalchemy import Integer, bindparam
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.search import documents, fragments
from forum.search.bounds import bounded
from forum.search.engine import EngineHit
from forum.search.postgres.lookups import lexemes_of
from forum.search.query import And, Not, Or, ParsedQuery, words_of

SNIPPET_CHARS = 220
# Where fragments may start and end: whole words, as the candidates are written.
WORD = re.compile(r"\w+(?:\.?\w+)*")


def highlighted(parsed: ParsedQuery, hits: list[EngineHit]) -> dict[str, str]:
    """Highlighted extracts (escaped HTML with <mark>) for these hits, by key."""
    texts = _texts(hits)
    if not texts:
        return {}
    # Only the positive words are highlighted: a NOT word is never in a hit anyway.
    positive = _positive(bounded(parsed.text)) if parsed.text is not None else None
    wanted = set().union(*lexemes_of(words_of(positive)).values()) if positive else set()
    if not wanted:
        return {key: html.escape(text[:SNIPPET_CHARS]) for key, text in texts.items()}
    candidates = {key: fragments.candidates(wanted, text) for key, text in texts.items()}
    lexemes = lexemes_of({texts[key][a:b] for key, found in candidates.items() for a, b in found})
    snippets = {}
    for key, text in texts.items():
        spans = [(a, b) for a, b in candidates[key] if lexemes[text[a:b]] & wanted]
        snippet = fragments.best(text, spans, WORD, maxchars=SNIPPET_CHARS)
        snippets[key] = snippet or html.escape(text[:SNIPPET_CHARS])
    return snippets


def _positive(node):
    """The text without its NOT branches (for highlighting)."""
    if isinstance(node, And | Or):
        kept = tuple(n for n in (_positive(c) for c in node.nodes) if n is not None)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else type(node)(kept)
    return None if isinstance(node, Not) else node


# The stored text of some contributions and prompts (with each prompt's key points, in order),
# in one statement of fixed text.
_TEXTS = sql(
    """
    SELECT 'contribution', id, body_html, NULL, 0 FROM contributions WHERE id = ANY(:contributions)
    UNION ALL
    SELECT 'prompt', id, intro_html, NULL, -1 FROM prompts WHERE id = ANY(:prompts)
    UNION ALL
    SELECT 'point', prompt_id, title, body, position FROM key_points
     WHERE prompt_id = ANY(:prompts)
    ORDER BY 1, 2, 5
    """
).bindparams(
    bindparam("contributions", type_=ARRAY(Integer)), bindparam("prompts", type_=ARRAY(Integer))
)


def _texts(hits: list[EngineHit]) -> dict[str, str]:
    """The plain text of each hit's body, as the Whoosh documents hold it: a contribution's
    body; a prompt's intro, then its key points ("title. body")."""
    contribution_ids = sorted({h.id for h in hits if h.type == "contribution"})
    prompt_ids = sorted({h.id for h in hits if h.type == "prompt"})
    texts: dict[str, str] = {}
    points: dict[int, list[str]] = {}
    for kind, item_id, first, second, _ in db.session.execute(
        _TEXTS, {"contributions": contribution_ids, "prompts": prompt_ids}
    ):
        if kind == "point":
            points.setdefault(item_id, []).append(f"{first}. {second}")
        else:
            texts[documents.key(kind, item_id)] = documents.plain_text(first)
    for item_id, kept in points.items():
        key = documents.key("prompt", item_id)
        if key in texts:
            texts[key] = " ".join([texts[key], *kept]).strip()
    return {h.key: texts[h.key] for h in hits if h.key in texts}
