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
    )
    SELECT w, stats.documents, stats.documents * coalesce(
             (SELECT max(stats.freqs[array_position(stats.lexemes, l)])
                FROM unnest(tsvector_to_array(to_tsvector('english', w))) AS l),
             stats.freqs[array_length(stats.freqs, 1) - 2])
      FROM unnest(:words) AS w, stats
    """
).bindparams(bindparam("words", type_=ARRAY(Text)))


def frequencies(words: list[str]) -> tuple[dict[str, float], int]:
    """What bounds.narrowed asks: documents matched by each word, documents in the index."""
    rows = db.session.execute(_FREQUENCIES, {"words": words}).all()
    return {word: float(n or 0) for word, _, n in rows}, int(rows[0][1]) if rows else 0
