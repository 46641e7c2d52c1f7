"""Prompts alike a prompt: its most telling lexemes (title words count three times, weighted by
how rare they are among prompts) OR-ed into one query, the matches ranked by ts_rank.

How rare a lexeme is comes from the planner's statistics of the prompts' vectors (the most
common lexemes and their frequencies, kept by ANALYZE / autovacuum; a lexeme not listed is as
rare as the rarest listed): one read of pg_stats instead of counting every lexeme's prompts
through the index, which was three quarters of the statement (30 of 41 ms for a prompt of 68
lexemes at 100,000 contributions). Before the first ANALYZE there are no statistics, and each
lexeme's prompts are counted as before; so they are while the statistics were gathered from
fewer than TRUSTED_FROM prompts (a table analysed while nearly empty would otherwise call every
lexeme common, and find nothing alike).
"""

from __future__ import annotations

from sqlalchemy import text

from forum.extensions import db

TERMS = 12
# Statistics gathered from fewer prompts than this are not trusted: a table analysed when it
# held one prompt says every lexeme is in every prompt. Counting is cheap at that size anyway.
TRUSTED_FROM = 100

_SIMILAR = text(
    """
    WITH stats AS MATERIALIZED (
      SELECT s.most_common_elems::text::text[] AS lexemes, s.most_common_elem_freqs AS freqs
        FROM pg_stats s
       WHERE s.schemaname = current_schema() AND s.tablename = 'prompts'
         AND s.attname = 'search_vector' AND s.most_common_elems IS NOT NULL
    ), total AS MATERIALIZED (
      -- The planner's row count is close enough for an IDF and costs nothing; a table
      -- analysed while it was small (or never) is counted, and so are its lexemes below.
      SELECT CASE WHEN c.reltuples >= :trusted THEN c.reltuples
                  ELSE (SELECT count(*) FROM prompts) END + 1 AS n,
             c.reltuples >= :trusted AS estimated
        FROM pg_class c WHERE c.oid = 'prompts'::regclass
    ), terms AS (
      SELECT t.lexeme, cardinality(t.positions)
             + 2 * (SELECT count(*) FROM unnest(t.weights) w WHERE w = 'A') AS tf
        FROM prompts p, unnest(p.search_vector) t
       WHERE p.id = :id AND length(t.lexeme) > 2
    ), scored AS MATERIALIZED (
      SELECT lexeme, tf * ln((SELECT n FROM total)::float / (1 + CASE
               WHEN (SELECT estimated FROM total) AND EXISTS (SELECT 1 FROM stats)
               THEN (SELECT n - 1 FROM total) * (
                 SELECT coalesce(s.freqs[array_position(s.lexemes, lexeme)],
                                 s.freqs[array_length(s.freqs, 1) - 2])
                   FROM stats s)
               ELSE (SELECT count(*) FROM prompts q
                      WHERE q.search_vector @@ quote_literal(lexeme)::tsquery)
             END)) AS s
        FROM terms
    ), picked AS (
      SELECT string_agg(quote_literal(lexeme), ' | ')::tsquery AS query
        FROM (SELECT lexeme FROM scored WHERE s > 0
              ORDER BY s DESC, lexeme LIMIT :terms) best
    )
    SELECT p.id FROM prompts p, picked
     WHERE picked.query IS NOT NULL AND p.search_vector @@ picked.query AND p.id <> :id
     ORDER BY ts_rank(p.search_vector, picked.query) DESC, p.id
     LIMIT :limit
    """
)


def similar_prompts(prompt_id: int, limit: int) -> list[int]:
    """Ids of the prompts most alike `prompt_id`, best first."""
    rows = db.session.execute(
        _SIMILAR, {"id": prompt_id, "terms": TERMS, "limit": limit, "trusted": TRUSTED_FROM}
    )
    return [row[0] for row in rows]
