"""What the PostgreSQL engine reads besides its candidates, each in one statement whose text
never changes (arrays, not lists of parameters: compiled once, and prepared by the driver after
a few calls): the tag names of the hits, and how common the query's words are."""

from __future__ import annotations

from sqlalchemy import Integer, Text, bindparam
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db

# The tag names of some prompts and contributions, in one statement whose text never changes
# (arrays, not lists of parameters: compiled once, and prepared by the driver after a few calls).
_TAGS = sql(
    """
    SELECT 'prompt', l.prompt_id, t.name FROM prompt_tags l JOIN tags t ON t.id = l.tag_id
     WHERE l.prompt_id = ANY(:prompts)
    UNION ALL
    SELECT 'contribution', l.contribution_id, t.name
      FROM contribution_tags l JOIN tags t ON t.id = l.tag_id
     WHERE l.contribution_id = ANY(:contributions)
    """
).bindparams(
    bindparam("prompts", type_=ARRAY(Integer)), bindparam("contributions", type_=ARRAY(Integer))
)


def tag_names(prompt_ids, contribution_ids) -> dict[tuple[str, int], set[str]]:
    """Tag names by (kind, id) of these prompts and contributions (their own tags only)."""
    names: dict[tuple[str, int], set[str]] = {}
    rows = db.session.execute(
        _TAGS, {"prompts": sorted(prompt_ids), "contributions": sorted(contribution_ids)}
    )
    for kind, owner_id, name in rows:
        names.setdefault((kind, owner_id), set()).add(name)
    return names


# How many visible contributions each word matches, from the planner's statistics of their
# vectors (the most common lexemes and their frequencies, kept by ANALYZE / autovacuum); a word
# not among them is as rare as the rarest listed. No statistics yet: no answer (all common).
_FREQUENCIES = sql(
    """
    WITH stats AS (
      SELECT s.most_common_elems::text::text[] AS lexemes, s.most_common_elem_freqs AS freqs,
             c.reltuples AS documents
        FROM pg_stats s JOIN pg_class c ON c.oid = 'contribution_search'::regclass
       WHERE s.schemaname = current_schema() AND s.tablename = 'contribution_search'
         AND s.attname = 'search_vector' AND s.most_common_elems IS NOT NULL
    ), listed AS (
      SELECT e.lexeme, stats.freqs[e.n] AS freq
        FROM stats, unnest(stats.lexemes) WITH ORDINALITY AS e(lexeme, n)
    )
    SELECT w, min(stats.documents), min(stats.documents) * coalesce(max(listed.freq),
             min(stats.freqs[array_length(stats.freqs, 1) - 2]))
      FROM stats, unnest(:words) AS w
      LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', w))) AS l(lexeme) ON true
      LEFT JOIN listed ON listed.lexeme = l.lexeme
     GROUP BY w
    """
).bindparams(bindparam("words", type_=ARRAY(Text)))


def frequencies(words: list[str]) -> tuple[dict[str, float], int]:
    """What bounds.narrowed asks: documents matched by each word, documents in the index. Kept
    for the session's transaction (a search reads in one): a pasted question asks for its
    words to choose the 40 most telling, then again to find the rarest of those (soft.py); the
    second asks nothing."""
    db.session.connection()  # the transaction begun
    session = db.session()
    transaction = session.get_transaction()
    kept = session.info.get("search_frequencies")
    if kept is None or kept[0] is not transaction:
        kept = session.info["search_frequencies"] = (transaction, {})
    known: dict[str, float] = kept[1]
    missing = [w for w in dict.fromkeys(words) if w not in known]
    if missing:
        rows = db.session.execute(_FREQUENCIES, {"words": missing}).all()
        known.update({word: float(n or 0) for word, _, n in rows})
        known[_DOCUMENTS] = float(rows[0][1]) if rows else 0.0
    return {w: known[w] for w in words if w in known}, int(known.get(_DOCUMENTS, 0))


# Where the documents in the index are kept among the words (no word holds a NUL).
_DOCUMENTS = "\0documents"
