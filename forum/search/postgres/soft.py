"""Soft matching on PostgreSQL (forum/search/soft.py): the candidates holding most of the words
put side by side, when those holding all of them are too few to fill the candidates.

Bounded as the query as typed is: the GIN index answers which rows may hold enough of the words
and at most RANKED of them are ranked. A row holding at least m of n words holds at least
m - (n - k) of the k rarest, so the index is asked for every combination of that many of the k
rarest words (tsquery ORs of ANDs: the index evaluates it on its posting lists, no row read),
with k as large as keeps the combinations within MAX_COMBINATIONS: k = n, an exact answer, for
every query of up to eight words. A query of more words than soft.CHOOSING (a pasted question)
is asked softly alone (not the query as typed first), its CHOOSING rarest words choosing the
candidates (5 of the 8: 56 combinations, exact), all of its words counted on those candidates
only. How many of the words a row holds is one ts_delete of the single-lexeme words (what is
left tells what was there) plus one @@ per phrase or bracket. The candidates are always chosen
through the GIN indexes (enable_seqscan off for that statement): the planner counts a tsquery
of 56 combinations as cheap as one word and read every prompt's vector instead.
"""

from __future__ import annotations

import math

from sqlalchemy import (
    Float,
    Integer,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    not_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY

from forum.extensions import db
from forum.models import Contribution, Prompt
from forum.search.postgres import hits, lookups
from forum.search.postgres import query as pq
from forum.search.postgres.soft_plan import Plan, plan, read_words
from forum.search.postgres.spelling import without_seqscan
from forum.search.soft import CHOOSING, in_tiers, pass_for, soft_parts


def _tsquery(text: str):
    return cast(bindparam(None, text, type_=Text), TSQUERY)


# A row's held column codes both: its weighed words, to 1/STEP, x CODE + how many it holds.
CODE = 1000
STEP = 100


def weighed(plan: Plan, vector):
    """The words the row holds, each weighed by how rare it is (soft.weights), x STEP."""
    total = literal_column("0.0", Float)
    for text, weight in plan.weights.items():
        total = total + case((vector.bool_op("@@")(_tsquery(text)), weight), else_=0.0)
    return func.floor(total * STEP + 1e-6)


def held(plan: Plan, vector):
    """How many of the plan's words this vector holds."""
    count = literal_column("0", Integer)
    if plan.lexemes:
        lexemes = bindparam(None, plan.lexemes, type_=ARRAY(Text))
        count = func.length(vector) - func.length(func.ts_delete(vector, lexemes))
    for text in plan.others:
        count = count + case((vector.bool_op("@@")(_tsquery(text)), 1), else_=0)
    return count


def _condition(plan: Plan, vector, strict, before: Plan | None) -> list:
    """The rows that may hold enough of the words (and, when the query as typed was asked
    first, not all of them, and not what the pass `before` this one matched: those are hits
    already)."""
    clauses = [vector.bool_op("@@")(_tsquery(plan.gin))]
    if strict is not None:
        clauses.append(not_(vector.bool_op("@@")(strict)))
    if before is not None:
        clauses.append(not_(vector.bool_op("@@")(_tsquery(before.gin))))
    return clauses


def prompt_candidates(parsed, plan: Plan, strict, limit: int, before: Plan | None = None):
    """The best `limit` prompts holding most but not all of the words: (id, score, held)."""
    vector = pq.PROMPT_VECTOR
    matched = select(Prompt.id, vector.label("vector")).where(
        *_condition(plan, vector, strict, before),
        *pq.filters(parsed, Prompt.id, Prompt.author_id),
    )
    return _ranked(plan, matched, vector, limit)


def contribution_candidates(parsed, plan: Plan, strict, limit: int, before: Plan | None = None):
    """The best `limit` contributions holding most but not all of the words: (id, prompt_id,
    score, held)."""
    entry = pq.contribution_search.c
    author = (
        select(Contribution.author_id).where(Contribution.id == entry.contribution_id)
    ).scalar_subquery()
    matched = select(
        entry.contribution_id.label("id"), entry.prompt_id, entry.search_vector.label("vector")
    ).where(
        *_condition(plan, entry.search_vector, strict, before),
        *pq.filters(parsed, entry.prompt_id, author, entry.contribution_id),
    )
    return _ranked(plan, matched, entry.search_vector, limit)


# A soft candidate's score is BM25's, each word counted once (K1, B as Lucene's defaults), times
# 1 + DENSITY x its cover density (how close together the words stand; ts_rank_cd, saturated).
K1 = 1.2
B = 0.75
DENSITY = 2.0


def _score(row):
    """BM25 of a ranked row: its weighed words held (soft.weights: each word's inverse document
    frequency), the row's length in distinct words against its table's (lookups.py). ts_rank_cd
    alone knows nothing of how rare a word is, and counted a pasted question's common words as
    much as its telling ones (bench/README.md, "Relevance, fourth round")."""
    length = 1 - B + B * row.length / row.average
    bm25 = (row.weighed / STEP) * (K1 + 1) / (1 + K1 * length)
    return bm25 * (1 + DENSITY * pq.saturated(row.density))


def _ranked(plan: Plan, matched, vector, limit: int):
    """The first RANKED rows of `matched` (the rows the index named holding at least the
    minimum), ranked by the words they hold, then by their score (`_score`)."""
    if not plan.exact:
        matched = matched.where(held(plan, vector) >= plan.minimum)
    rows = matched.limit(pq.RANKED).subquery()
    ranking = _tsquery(plan.ranking)
    extra = [rows.c.prompt_id] if "prompt_id" in rows.c else []
    ranked = (
        select(
            rows.c.id,
            *extra,
            held(plan, rows.c.vector).label("held"),
            weighed(plan, rows.c.vector).label("weighed"),
            pq.density(rows.c.vector, ranking).label("density"),
            func.length(rows.c.vector).label("length"),
            literal(lookups.average_lengths()["contribution" if extra else "prompt"], Float).label(
                "average"
            ),
        )
        .offset(0)
        .subquery()
    )
    extra = [ranked.c.prompt_id] if extra else []
    return (
        select(
            ranked.c.id,
            *extra,
            _score(ranked.c).label("score"),
            cast(ranked.c.weighed * CODE + ranked.c.held, Integer).label("held"),
        )
        .where(ranked.c.held >= plan.minimum)
        .order_by(
            ranked.c.weighed.desc(), ranked.c.held.desc(), ranked.c.density.desc(), ranked.c.id
        )
        .limit(limit)
    )


def rows(parsed, node, query, limit: int) -> list[list]:
    """The rows of hits.found, best first (newest first without words), at most `limit`, their
    last column the fraction of the words they hold. The query as typed is asked first: when
    its rows of both kinds fill the candidates, nothing more is asked; otherwise the rows
    holding most of the words follow, then those holding any one, each pass only while the
    candidates are short, with scores tiered below those holding more (forum/search/soft.py)."""
    if query is None:
        found = _found(hits.found(parsed, None, limit))
        found.sort(key=lambda r: (r[6], r[1], r[0] == "prompt"), reverse=True)
        return [[*r[:-1], 1.0] for r in found[:limit]]
    # A query of more words than choose the candidates (a pasted question) is asked softly
    # alone: all of its words are almost never held together, and a row holding them all ranks
    # first among the soft rows too.
    long = _long(node)
    found = _found(*hits.as_typed(parsed, node, limit)) if not long else []
    # The candidates are those of both kinds together, as on Whoosh (one index): a pass is
    # asked only while the passes before it leave fewer than `limit` of them, and of each kind
    # it reads at most what is left to fill (its rows compete with the other kind's in the
    # same pass). Counted per kind, a pass of prompts ran after the contributions had filled
    # the candidates (at a million contributions, ordinary searches' p95 in the engine went
    # from 44 to 36 ms once they were counted together).
    short = [
        kind for kind in ("prompt", "contribution") if not parsed.types or kind in parsed.types
    ]
    if len(found) >= limit:
        short = []
    parts = soft_parts(node)
    read = read_words(node) if short and parts and pass_for(len(parts[0]), True) else None
    soft = plan(node, words_read=read) if read else None
    loose = plan(node, loose=True, words_read=read) if read else None
    if soft is None and loose is None:
        if long:  # nothing soft after all (repeated words): the query as typed
            found = _found(*hits.as_typed(parsed, node, limit))
        found.sort(key=lambda r: (-r[3], r[0] != "prompt", r[1]))
        return [[*r[:-1], 1.0] for r in found[:limit]]
    words = (soft or loose).words
    for row in found:  # holding every word: the top tier (CODE above)
        row[-1] = math.floor(sum((soft or loose).weights.values()) * STEP + 1e-6) * CODE + words
    # Most of the words, then, while the candidates are still short, any one of them.
    for step, before in ((soft, None), (loose, soft)):
        if step is None or len(found) >= limit:
            continue
        chosen = {
            kind: (prompt_candidates if kind == "prompt" else contribution_candidates)(
                parsed, step, None if long else query, limit - len(found), before
            )
            for kind in short
        }
        found += _found(hits.found(parsed, None, limit, chosen), index_only=True)
    scored = [(float(r[3]), r[-1] // CODE / STEP, r[-1] % CODE) for r in found]
    scores = in_tiers(scored, words, (soft or loose).known)
    for row, score in zip(found, scores, strict=True):
        row[3] = score
    found.sort(key=lambda r: (-r[-1], -r[3], r[0] != "prompt", r[1]))
    return [[*r[:-1], (r[-1] % CODE) / words] for r in found[:limit]]


def _long(node) -> bool:
    parts = soft_parts(node)
    return parts is not None and len(parts[0]) > CHOOSING


def _found(statement, parameters: dict | None = None, index_only: bool = False) -> list[list]:
    """The statement's rows. `index_only`: the rows are chosen through the GIN indexes, never
    by reading every vector (the planner counts a tsquery of 56 combinations as cheap as one
    word, and so read all 6,000 prompts' vectors, TOASTed, to spare an index scan: 80 ms)."""
    if statement is None:
        return []
    # all(): one fetchall, where iterating the result fetched each of the 400 rows alone.
    if not index_only:
        return [list(row) for row in db.session.execute(statement, parameters).all()]
    with without_seqscan():
        return [list(row) for row in db.session.execute(statement, parameters).all()]
