"""Prompts alike a title and intro, on PostgreSQL (forum/search/alike.py says how).

The text becomes lexemes as a prompt's vector is made (its title weight A, its intro C); its
heaviest lexemes OR-ed into one tsquery find the candidates, ranked by ts_rank; their vectors,
unnested (places of weight A are the title's), are compared with the text in full.

How rare a lexeme is comes from the planner's statistics of the prompts' vectors (the most
common lexemes and their frequencies, kept by ANALYZE / autovacuum; a lexeme not listed is as
rare as the rarest listed): one read of pg_stats instead of counting every lexeme's prompts
through the index, which was three quarters of the statement (30 of 41 ms for a prompt of 68
lexemes at 100,000 contributions). Before the first ANALYZE there are no statistics, and the
lexemes' prompts are counted in one pass over the prompts' vectors; so they are while the
statistics were gathered from fewer than TRUSTED_FROM prompts (a table analysed while nearly
empty would otherwise call every lexeme common, and find nothing alike).
"""

from __future__ import annotations

from sqlalchemy import Integer, Text, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.search import alike
from forum.search.alike import Alike

# Statistics gathered from fewer prompts than this are not trusted: a table analysed when it
# held one prompt says every lexeme is in every prompt. Counting is cheap at that size anyway.
TRUSTED_FROM = 100

# A lexeme's count in a vector (n), and how many of its places are in the title (a: weight A).
_TEXT_TERMS = text(
    """
    SELECT t.lexeme, greatest(cardinality(t.positions), 1) AS n,
           (SELECT count(*) FROM unnest(t.weights) w WHERE w = 'A') AS a
      FROM unnest(setweight(to_tsvector('english', :title), 'A')
                  || setweight(to_tsvector('english', :intro), 'C')) t
    """
)

# How many prompts, and whether the statistics of their vectors are to be trusted. The
# planner's row count is close enough for an IDF and costs nothing; a table analysed while it
# was small (or never) is counted.
_TOTAL = text(
    """
    SELECT CASE WHEN c.reltuples >= :trusted THEN c.reltuples
                ELSE (SELECT count(*) FROM prompts) END AS n,
           c.reltuples >= :trusted AND EXISTS (
             SELECT 1 FROM pg_stats s
              WHERE s.schemaname = current_schema() AND s.tablename = 'prompts'
                AND s.attname = 'search_vector' AND s.most_common_elems IS NOT NULL)
      FROM pg_class c WHERE c.oid = 'prompts'::regclass
    """
)

# How many prompts hold each lexeme, from the statistics: n x its frequency, or the rarest
# listed frequency for a lexeme not listed.
_ESTIMATED = text(
    """
    WITH stats AS MATERIALIZED (
      SELECT s.most_common_elems::text::text[] AS lexemes, s.most_common_elem_freqs AS freqs
        FROM pg_stats s
       WHERE s.schemaname = current_schema() AND s.tablename = 'prompts'
         AND s.attname = 'search_vector' AND s.most_common_elems IS NOT NULL
       LIMIT 1
    ), listed AS MATERIALIZED (
      SELECT m.lexeme, m.freq FROM stats s, unnest(s.lexemes, s.freqs) AS m(lexeme, freq)
       WHERE m.lexeme IS NOT NULL
    )
    SELECT l.lexeme, :n * coalesce(listed.freq,
                                   (SELECT s.freqs[array_length(s.freqs, 1) - 2] FROM stats s))
      FROM unnest(:lexemes) AS l(lexeme)
      LEFT JOIN listed ON listed.lexeme = l.lexeme
    """
).bindparams(bindparam("lexemes", type_=ARRAY(Text)))

# Without statistics to trust: the lexemes' prompts, counted in one pass over their vectors.
_COUNTED = text(
    """
    SELECT t.lexeme, count(*)
      FROM prompts p, unnest(tsvector_to_array(p.search_vector)) AS t(lexeme)
     WHERE t.lexeme = ANY(:lexemes)
     GROUP BY t.lexeme
    """
).bindparams(bindparam("lexemes", type_=ARRAY(Text)))

_CANDIDATES = text(
    """
    SELECT p.id, t.lexeme, greatest(cardinality(t.positions), 1) AS n,
           (SELECT count(*) FROM unnest(t.weights) w WHERE w = 'A') AS a
      FROM (SELECT q.id, q.search_vector FROM prompts q
             WHERE q.search_vector @@ CAST(:query AS tsquery) AND q.id <> :exclude
             ORDER BY ts_rank(q.search_vector, CAST(:query AS tsquery)) DESC, q.id
             LIMIT :candidates) p,
           unnest(p.search_vector) t
    """
).bindparams(bindparam("exclude", type_=Integer))


def _tsquery(lexemes: list[str]) -> str:
    """These lexemes OR-ed, each quoted as tsquery input quotes (no normalisation)."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " | ".join(quoted)


def _idfs(lexemes: set[str]) -> tuple[dict[str, float], float]:
    """The idf of each lexeme, and how many prompts there are."""
    n, estimated = db.session.execute(_TOTAL, {"trusted": TRUSTED_FROM}).one()
    n = float(n or 0)
    if not lexemes:
        return {}, n
    statement = _ESTIMATED if estimated else _COUNTED
    found = dict(db.session.execute(statement, {"lexemes": sorted(lexemes), "n": n}).all())
    return {lexeme: alike.idf(float(found.get(lexeme) or 0), n) for lexeme in lexemes}, n


def _text(rows) -> alike.Text:
    """A text from its lexemes' counts (n) and title places (a)."""
    text = alike.weighed([], [])
    for lexeme, n, a in rows:
        if a:
            text.title[lexeme] += a
        if n - a > 0:
            text.rest[lexeme] += n - a
    return text


def similar_to_text(title: str, intro: str, limit: int, exclude: int | None = None) -> list[Alike]:
    """The prompts most alike this title and intro, best first, with their similarity."""
    wanted = _text(db.session.execute(_TEXT_TERMS, {"title": title, "intro": intro}))
    if not wanted.terms() or limit <= 0:
        return []
    idfs, n = _idfs(wanted.terms())
    words = alike.telling(wanted, idfs, n)
    if not words:
        return []
    rows = db.session.execute(
        _CANDIDATES,
        {
            "query": _tsquery([lexeme for lexeme, _ in words]),
            "exclude": exclude if exclude is not None else 0,
            "candidates": alike.CANDIDATES,
        },
    )
    found: dict[int, list] = {}
    for prompt_id, lexeme, n, a in rows:
        found.setdefault(prompt_id, []).append((lexeme, n, a))
    prompts = {prompt_id: _text(lexemes) for prompt_id, lexemes in found.items()}
    more = set().union(*(text.terms() for text in prompts.values())) - set(idfs)
    idfs.update(_idfs(more)[0])
    return alike.ranked(wanted, prompts, idfs, limit)
