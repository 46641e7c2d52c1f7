"""The statement of one soft pass on PostgreSQL (soft.py asks it): the candidates of each kind
holding most of the words (or any one of them), ranked, with what a hit carries (hits.found).

Every value a pass varies by is a named parameter: its words' tsqueries and weights, the GIN
condition, the minimum, how many candidates are left to fill, the tables' average lengths, and
the words of the query as typed (named as hits.as_typed names them). So, as for the query as
typed, the statement is built once per shape of pass and kept: building it and its cache key
cost about 5 ms of an ordinary two-word search's 35. A query with filters is built each time
(its filters' values are part of the statement).
"""

from __future__ import annotations

from sqlalchemy import (
    Float,
    Integer,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    not_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY

from forum.models import Contribution, Prompt
from forum.search.postgres import hits, lookups
from forum.search.postgres import query as pq
from forum.search.postgres.soft_plan import Plan
from forum.search.query import ParsedQuery

# A row's held column codes both: its weighed words, to 1/STEP, x CODE + how many it holds.
CODE = 1000
STEP = 100
# A soft candidate's score is BM25's, each word counted once (K1, B as Lucene's defaults), times
# 1 + DENSITY x its cover density (how close together the words stand; ts_rank_cd, saturated).
K1 = 1.2
B = 0.75
DENSITY = 2.0
# Shapes kept per process; past it (long pasted questions each have their own), the list starts
# again.
KEPT = 256
_kept: dict[tuple, object] = {}


def pass_statement(parsed: ParsedQuery, node, step: Plan, strict: bool, kinds: tuple[str, ...],
                   left: int, before: Plan | None,
                   together: bool = False) -> tuple[object, dict]:  # fmt: skip
    """(statement, parameters) of the pass `step` over `kinds`, at most `left` rows of each
    (`together`: of both kinds together, hits.best_together). `strict`: leave out the rows the
    query as typed (`node`) matched; `before`: and those the pass before this one matched."""
    values = _values(step, before, left)
    typed: list[str] = []
    shape = hits.shape_of(node, typed) if strict else None
    values.update({f"w{n}": word for n, word in enumerate(typed)})
    excluded = parsed.exclude_topics or parsed.exclude_tags or parsed.exclude_authors
    if parsed.has_filter or excluded:
        return _build(parsed, node, step, strict, kinds, before, together), values
    key = (shape, kinds, step.exact, len(step.weights), len(step.others), bool(step.lexemes),
           before is not None, together, pq.RANKED)  # fmt: skip
    statement = _kept.get(key)
    if statement is None:
        if len(_kept) >= KEPT:
            _kept.clear()
        statement = _kept[key] = _build(parsed, node, step, strict, kinds, before, together)
    return statement, values


def _values(step: Plan, before: Plan | None, left: int) -> dict:
    """The pass's parameters, by the names the statement gives them."""
    lengths = lookups.average_lengths()
    values = {
        "s_gin": step.gin,
        "s_ranking": step.ranking,
        "s_minimum": step.minimum,
        "s_left": left,
        "s_prompt_length": lengths["prompt"],
        "s_contribution_length": lengths["contribution"],
        "s_lexemes": step.lexemes,
        **{f"s_other{n}": text for n, text in enumerate(step.others)},
        **{f"s_word{n}": text for n, text in enumerate(step.weights)},
        **{f"s_weight{n}": weight for n, weight in enumerate(step.weights.values())},
    }
    if before is not None:
        values["s_before"] = before.gin
    return values


def _build(parsed, node, step: Plan, strict: bool, kinds: tuple[str, ...], before: Plan | None,
           together: bool):  # fmt: skip
    typed = pq.tsquery(node, []) if strict else None
    left = bindparam("s_left", type_=Integer)
    chosen = {
        kind: (_prompts if kind == "prompt" else _contributions)(parsed, step, typed, before)
        for kind in kinds
    }
    if together and len(chosen) == 2:
        chosen = hits.best_together(chosen, left)
    return hits.found(parsed, None, left, chosen)


def _tsquery(name: str):
    return cast(bindparam(name, type_=Text), TSQUERY)


def held(step: Plan, vector):
    """How many of the plan's words this vector holds (the rows the index named, before any is
    ranked: `_ranked` counts the words of those it ranks from one test of each)."""
    count = literal_column("0", Integer)
    if step.lexemes:
        lexemes = bindparam("s_lexemes", type_=ARRAY(Text))
        count = func.length(vector) - func.length(func.ts_delete(vector, lexemes))
    for n in range(len(step.others)):
        count = count + case((vector.bool_op("@@")(_tsquery(f"s_other{n}")), 1), else_=0)
    return count


def _tests(step: Plan, vector) -> list:
    """Whether the vector holds each of the plan's words (its weights' texts: every word,
    single lexemes and the rest alike), one @@ each: the columns `_held_and_weighed` reads."""
    return [
        vector.bool_op("@@")(_tsquery(f"s_word{n}")).label(f"h{n}")
        for n in range(len(step.weights))
    ]


def _held_and_weighed(step: Plan, rows) -> list:
    """From `_tests`' columns: how many of the words the row holds, and those words each weighed
    by how rare it is (soft.weights), x STEP. Counted from one test of each word, where two
    functions each read the vector again (ts_delete copied it whole): ranking a two-word
    search's candidates cost 35 to 45 % less."""
    count = literal_column("0", Integer)
    total = literal_column("0.0", Float)
    for n in range(len(step.weights)):
        holds = rows.c[f"h{n}"]
        count = count + case((holds, 1), else_=0)
        total = total + case((holds, bindparam(f"s_weight{n}", type_=Float)), else_=0.0)
    return [count.label("held"), func.floor(total * STEP + 1e-6).label("weighed")]


def _condition(vector, typed, before: Plan | None) -> list:
    """The rows that may hold enough of the words (and, when the query as typed was asked
    first, not all of them, and not what the pass `before` this one matched: those are hits
    already)."""
    clauses = [vector.bool_op("@@")(_tsquery("s_gin"))]
    if typed is not None:
        clauses.append(not_(vector.bool_op("@@")(typed)))
    if before is not None:
        clauses.append(not_(vector.bool_op("@@")(_tsquery("s_before"))))
    return clauses


def _prompts(parsed, step: Plan, typed, before: Plan | None):
    """The best prompts holding most but not all of the words: (id, score, held)."""
    vector = pq.PROMPT_VECTOR
    matched = select(Prompt.id, vector.label("vector")).where(
        *_condition(vector, typed, before),
        *pq.filters(parsed, Prompt.id, Prompt.author_id),
    )
    return _ranked(step, matched, vector, "s_prompt_length")


def _contributions(parsed, step: Plan, typed, before: Plan | None):
    """The best contributions holding most but not all of the words: (id, prompt_id, score,
    held)."""
    entry = pq.contribution_search.c
    author = (
        select(Contribution.author_id).where(Contribution.id == entry.contribution_id)
    ).scalar_subquery()
    matched = select(
        entry.contribution_id.label("id"), entry.prompt_id, entry.search_vector.label("vector")
    ).where(
        *_condition(entry.search_vector, typed, before),
        *pq.filters(parsed, entry.prompt_id, author, entry.contribution_id),
    )
    return _ranked(step, matched, entry.search_vector, "s_contribution_length")


def _score(row):
    """BM25 of a ranked row: its weighed words held (soft.weights: each word's inverse document
    frequency), the row's length in distinct words against its table's (lookups.py). ts_rank_cd
    alone knows nothing of how rare a word is, and counted a pasted question's common words as
    much as its telling ones (bench/README.md, "Relevance, fourth round")."""
    length = 1 - B + B * row.length / row.average
    bm25 = (row.weighed / STEP) * (K1 + 1) / (1 + K1 * length)
    return bm25 * (1 + DENSITY * pq.saturated(row.density))


def _ranked(step: Plan, matched, vector, average: str):
    """The first RANKED rows of `matched` (the rows the index named holding at least the
    minimum), ranked by the words they hold, then by their score (`_score`)."""
    minimum = bindparam("s_minimum", type_=Integer)
    if not step.exact:
        matched = matched.where(held(step, vector) >= minimum)
    rows = matched.limit(pq.RANKED).subquery()
    extra = [rows.c.prompt_id] if "prompt_id" in rows.c else []
    tested = (
        select(
            rows.c.id,
            *extra,
            *_tests(step, rows.c.vector),
            pq.density(rows.c.vector, _tsquery("s_ranking")).label("density"),
            func.length(rows.c.vector).label("length"),
        )
        .offset(0)
        .subquery()
    )
    extra = [tested.c.prompt_id] if extra else []
    ranked = select(
        tested.c.id,
        *extra,
        *_held_and_weighed(step, tested),
        tested.c.density,
        tested.c.length,
        bindparam(average, type_=Float).label("average"),
    ).subquery()
    extra = [ranked.c.prompt_id] if extra else []
    return (
        select(
            ranked.c.id,
            *extra,
            _score(ranked.c).label("score"),
            cast(ranked.c.weighed * CODE + ranked.c.held, Integer).label("held"),
        )
        .where(ranked.c.held >= minimum)
        .order_by(
            ranked.c.weighed.desc(), ranked.c.held.desc(), ranked.c.density.desc(), ranked.c.id
        )
        .limit(bindparam("s_left", type_=Integer))
    )
