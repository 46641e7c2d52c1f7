"""Snippets on PostgreSQL: `ts_headline` over each hit's plain text, its matches marked.

`ts_headline` parses all the text it is given, so a long answer costs in proportion to its
length (0.2-0.5 ms per 1,000 characters here, and answers run to 40,000): it reads at most
WINDOW characters of a text, from just before the first word that may stem to a query term.
Shorter texts, most of them, are read whole.
"""

from __future__ import annotations

import html
import re

from sqlalchemy import Integer, Text, bindparam, func, select
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.search import documents
from forum.search.bounds import bounded
from forum.search.engine import EngineHit
from forum.search.postgres import query as pq
from forum.search.query import And, Not, Or, ParsedQuery, words_of

SNIPPET_CHARS = 220
# Sentinels around matches inside ts_headline, turned into <mark> after escaping the text.
START, STOP = "\x01", "\x02"
HEADLINE = (
    f"StartSel={START}, StopSel={STOP}, MinWords=15, MaxWords=35, MaxFragments=2,"
    ' FragmentDelimiter="..."'
)
# Characters of a text ts_headline reads: room for its two fragments of up to 35 words (about
# 230 characters each) to be chosen, from LEAD characters before the first likely match. 1,000
# against 2,000: the snippets of a search 2 ms faster on average, 9 ms at p95, and 87 % of them
# the same (bench/README.md).
WINDOW = 1000
LEAD = 200


def highlighted(parsed: ParsedQuery, hits: list[EngineHit]) -> dict[str, str]:
    """Highlighted extracts (escaped HTML with <mark>) for these hits, by key."""
    texts = _texts(hits)
    if not texts:
        return {}
    keys = list(texts)
    # Only the positive words are highlighted: a NOT word is never in a hit anyway.
    positive = _positive(bounded(parsed.text)) if parsed.text is not None else None
    if positive is None:
        return {k: html.escape(texts[k][:SNIPPET_CHARS]) for k in keys}
    likely = _likely_matches(positive) if any(len(t) > WINDOW for t in texts.values()) else None
    # Escaped before ts_headline (which copies its input's tokens and adds only the
    # sentinels), so the stored text can never bring markup: only <mark> is added after.
    plain = [
        html.escape(_window(texts[k], likely).replace(START, " ").replace(STOP, " "), quote=False)
        for k in keys
    ]
    docs = (
        func.unnest(bindparam("keys", keys, ARRAY(Text)), bindparam("docs", plain, ARRAY(Text)))
        .table_valued("key", "doc")
        .render_derived(name="t")
    )
    rows = db.session.execute(
        select(docs.c.key, func.ts_headline(pq.CONFIG, docs.c.doc, pq.tsquery(positive), HEADLINE))
    )
    snippets = {}
    for key, headline in rows:
        marked = (headline or "").replace(START, "<mark>").replace(STOP, "</mark>")
        snippets[key] = marked if "<mark>" in marked else html.escape(texts[key][:SNIPPET_CHARS])
    return snippets


def _likely_matches(node) -> re.Pattern | None:
    """Words that may stem to one of the query's lexemes: those starting as a lexeme does (a
    final "i" dropped: "happi" is the lexeme of "happy")."""
    words = " ".join(words_of(node))
    lexemes = db.session.scalar(select(func.tsvector_to_array(func.to_tsvector(pq.CONFIG, words))))
    stems = sorted({lexeme.rstrip("i") or lexeme for lexeme in lexemes or ()}, key=len)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in reversed(stems)) + ")")


def _window(text: str, likely: re.Pattern | None) -> str:
    """At most WINDOW characters of the text, cut at spaces, from LEAD characters before the
    first likely match (from the start when there is none)."""
    if len(text) <= WINDOW:
        return text
    found = likely.search(text.lower()) if likely is not None else None
    start = 0
    if found is not None and found.start() > LEAD:
        space = text.find(" ", found.start() - LEAD, found.start())
        start = space + 1 if space >= 0 else found.start() - LEAD
    end = start + WINDOW
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    return text[start:end]


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
