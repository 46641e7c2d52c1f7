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

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

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
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY

from forum.extensions import db
from forum.models import Contribution, Prompt
from forum.search.postgres import lookups
from forum.search.postgres import query as pq
from forum.search.query import Or, Phrase, Term, words_of
from forum.search.soft import CHOOSING, in_tiers, passes, soft_parts, weights, within_budget

_SEQSCAN_OFF = sql(
    "SELECT current_setting('enable_seqscan') AS before, set_config('enable_seqscan', 'off', true)"
)
_SEQSCAN_BACK = sql("SELECT set_config('enable_seqscan', :before, true)")
_TSQUERIES = sql(
    """
    SELECT websearch_to_tsquery('english', t.text)::text
      FROM unnest(:texts) WITH ORDINALITY AS t(text, n) ORDER BY t.n
    """
).bindparams(bindparam("texts", type_=ARRAY(Text)))
# At most this many combinations of words in the index condition.
MAX_COMBINATIONS = 128
LEXEME = re.compile(r"^'((?:[^']|'')+)'$")


@dataclass
class Plan:
    words: int  # n: the side-by-side words that are not stop words
    minimum: int  # m (of the CHOOSING rarest words, for a query of more words)
    gin: str  # tsquery text: rows that may hold m words (exact when `exact`), NOTs applied
    exact: bool
    lexemes: list[str]  # single-lexeme words, counted through ts_delete
    others: list[str]  # tsquery texts of the other words, counted through @@
    ranking: str  # tsquery text: any of the words
    weights: dict[str, float]  # each word's tsquery text: its weight in the tiers (soft.weights)


def plan(node, loose: bool = False, words_read=None) -> Plan | None:
    """How to match `node` softly, or None when every word is needed (not a soft conjunction,
    or too few words for any to be missing). `loose`: the last pass, any one of the words
    (soft.passes; None for one word or when it is the pass before). `words_read`: what
    `read_words` returned for `node`, when another pass read it already."""
    parts = soft_parts(node)
    if parts is None:
        return None
    positive, excluded = parts
    if not _steps(len(positive), loose):
        return None  # e.g. two words, every one needed: asked as typed already
    texts, kept, order, weighs, found = words_read or read_words(node)
    words = len(kept)
    steps = _steps(words, loose)
    if not steps:
        return None
    chosen, minimum = steps[0]
    choosers = order[:chosen]  # the rarest few choose the candidates (soft.py)
    if minimum == 1 and words > CHOOSING:  # a long query's last pass: within its budget
        choosers = within_budget(choosers, found.__getitem__)
    slack = len(choosers) - minimum
    rare = len(choosers)
    while math.comb(rare, slack) > MAX_COMBINATIONS:
        rare -= 1
    size = rare - slack
    combos = itertools.combinations(choosers[:rare], size)
    gin = " | ".join("(" + " & ".join(f"({t})" for t in combo) + ")" for combo in combos)
    nots = [f" & !({t})" for t in texts[len(positive) :] if t]
    lexemes = [m.group(1).replace("''", "'") for t in kept if (m := LEXEME.match(t))]
    return Plan(
        words=words,
        minimum=minimum,
        gin=f"({gin})" + "".join(nots),
        exact=rare == len(choosers),
        lexemes=lexemes,
        others=[t for t in kept if not LEXEME.match(t)],
        ranking=" | ".join(f"({t})" for t in kept),
        weights=weighs,
    )


def read_words(node):
    """(each side-by-side word's and NOT's tsquery text, the distinct words' texts that are not
    stop words, those texts the rarest first, their weights, the rows each is estimated in):
    what every pass of `node` plans with."""
    positive, excluded = soft_parts(node)
    texts = _texts([*positive, *(n.node for n in excluded)])
    kept = list(dict.fromkeys(t for t in texts[: len(positive)] if t))
    order, rarity, total = _rarest_first(positive, texts[: len(positive)], kept)
    # The statistics cannot tell a word no row holds: a word they give no figure is as rare
    # as the rarest they do (none: all alike).
    known = [rarity[t] for t in kept if 0 < rarity[t] < math.inf]
    documents = [rarity[t] if 0 < rarity[t] < math.inf else min(known, default=1.0) for t in kept]
    found = dict(zip(kept, documents, strict=True))
    return texts, kept, order, dict(zip(kept, weights(documents, total or 1), strict=True)), found


def _steps(words: int, loose: bool) -> list[tuple[int, int]]:
    """The pass asked (soft.passes): most of the words, or with `loose` any one of them."""
    steps = passes(words)
    if loose:
        return steps[-1:] if steps and steps[-1][1] == 1 else []
    return steps[:1] if steps and steps[0][1] > 1 else []


def _texts(nodes) -> list[str]:
    """Each node's tsquery as text ('' for stop words), in one statement: for words and
    phrases one whose text never changes (an array: compiled once, however many words; a
    pasted question's 40 columns cost 25 ms to compile each time)."""
    if all(isinstance(node, Term | Phrase) for node in nodes):
        texts = [
            node.word if isinstance(node, Term) else '"' + " ".join(node.words) + '"'
            for node in nodes
        ]
        return [t or "" for t in db.session.execute(_TSQUERIES, {"texts": texts}).scalars()]
    columns = [cast(pq.tsquery(node), Text) for node in nodes]
    return [t or "" for t in db.session.execute(select(*columns)).one()]


def _rarest_first(positive, texts, kept) -> tuple[list[str], dict[str, float], int]:
    """(the kept tsquery texts, the rarest word first; how many documents hold each; how many
    there are), by the planner's statistics (lookups.py)."""
    counts, total = lookups.frequencies(sorted({w for n in positive for w in words_of(n)}))

    def documents(node) -> float:
        found = [counts.get(w, math.inf) for w in words_of(node)]
        if isinstance(node, Term | Phrase):
            return min(found, default=math.inf)
        return sum(found) if isinstance(node, Or) else min(found, default=math.inf)

    rarity = {}
    for node, text in zip(positive, texts, strict=True):
        if text:
            rarity[text] = min(rarity.get(text, math.inf), documents(node))
    return sorted(kept, key=lambda t: (rarity[t], kept.index(t))), rarity, total


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


def _ranked(plan: Plan, matched, vector, limit: int):
    """The first RANKED rows of `matched` (the rows the index named holding at least the
    minimum), ranked by the words they hold, then by cover density over any of the words."""
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
        )
        .offset(0)
        .subquery()
    )
    extra = [ranked.c.prompt_id] if extra else []
    return (
        select(
            ranked.c.id,
            *extra,
            pq.saturated(ranked.c.density).label("score"),
            cast(ranked.c.weighed * CODE + ranked.c.held, Integer).label("held"),
        )
        .where(ranked.c.held >= plan.minimum)
        .order_by(
            ranked.c.weighed.desc(), ranked.c.held.desc(), ranked.c.density.desc(), ranked.c.id
        )
        .limit(limit)
    )


def rows(parsed, node, query, limit: int) -> list[list]:
    """The rows of query.found, best first (newest first without words), at most `limit`, their
    last column the fraction of the words they hold. The query as typed is asked first: a kind
    it fills the candidates of needs nothing more; for the others, the rows holding most of
    the words follow, with scores tiered below those holding more (forum/search/soft.py)."""
    # A query of more words than choose the candidates (a pasted question) is asked softly
    # alone: all of its words are almost never held together, and a row holding them all ranks
    # first among the soft rows too.
    long = query is not None and _long(node)
    found = _found(pq.found(parsed, query, limit)) if not long else []
    if query is None:
        found.sort(key=lambda r: (r[6], r[1], r[0] == "prompt"), reverse=True)
        return [[*r[:-1], 1.0] for r in found[:limit]]
    counts = Counter(r[0] for r in found)
    short = [
        kind
        for kind in ("prompt", "contribution")
        if (not parsed.types or kind in parsed.types) and counts[kind] < limit
    ]
    parts = soft_parts(node)
    read = read_words(node) if short and parts and _steps(len(parts[0]), True) else None
    soft = plan(node, words_read=read) if read else None
    loose = plan(node, loose=True, words_read=read) if read else None
    if soft is None and loose is None:
        if long:  # nothing soft after all (repeated words): the query as typed
            found = _found(pq.found(parsed, query, limit))
        found.sort(key=lambda r: (-r[3], r[0] != "prompt", r[1]))
        return [[*r[:-1], 1.0] for r in found[:limit]]
    words = (soft or loose).words
    for row in found:  # holding every word: the top tier (CODE above)
        row[-1] = math.floor(sum((soft or loose).weights.values()) * STEP + 1e-6) * CODE + words
    # Most of the words, then, while a kind's candidates are still short, any one of them.
    for step, before in ((soft, None), (loose, soft)):
        short = [kind for kind in short if counts[kind] < limit]
        if step is None or not short:
            continue
        chosen = {
            kind: (prompt_candidates if kind == "prompt" else contribution_candidates)(
                parsed, step, None if long else query, limit - counts[kind], before
            )
            for kind in short
        }
        more = _found(pq.found(parsed, None, limit, chosen), index_only=True)
        counts.update(r[0] for r in more)
        found += more
    # ts_rank_cd knows nothing of how rare a word is: the weighed words held tell it.
    scores = in_tiers(
        [(float(r[3]), r[-1] // CODE / STEP, r[-1] % CODE) for r in found], words, weigh=True
    )
    for row, score in zip(found, scores, strict=True):
        row[3] = score
    found.sort(key=lambda r: (-r[-1], -r[3], r[0] != "prompt", r[1]))
    return [[*r[:-1], (r[-1] % CODE) / words] for r in found[:limit]]


def _long(node) -> bool:
    parts = soft_parts(node)
    return parts is not None and len(parts[0]) > CHOOSING


def _found(statement, index_only: bool = False) -> list[list]:
    """The statement's rows. `index_only`: the rows are chosen through the GIN indexes, never
    by reading every vector (the planner counts a tsquery of 56 combinations as cheap as one
    word, and so read all 6,000 prompts' vectors, TOASTed, to spare an index scan: 80 ms)."""
    if statement is None:
        return []
    if not index_only:
        return [list(row) for row in db.session.execute(statement)]
    before = db.session.execute(_SEQSCAN_OFF).scalar_one()
    try:
        return [list(row) for row in db.session.execute(statement)]
    finally:
        db.session.execute(_SEQSCAN_BACK, {"before": before})
