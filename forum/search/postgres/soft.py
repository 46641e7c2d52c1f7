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
only. How many of the words a ranked row holds, and their weight, come from one @@ per word
(a query too long for an exact index condition first checks the count on the rows the index
names: one ts_delete of the single-lexeme words, what is left telling what was there, plus one
@@ per phrase or bracket). The candidates are always chosen through the GIN indexes
(enable_seqscan off for the soft part of a search): the planner counts a tsquery of 56
combinations as cheap as one word and read every prompt's vector instead.
"""

from __future__ import annotations

import math

from forum.extensions import db
from forum.kept_statements import PLANNED_EACH_TIME
from forum.search.postgres import hits
from forum.search.postgres.soft_plan import plan, read_words
from forum.search.postgres.soft_statement import CODE, STEP, pass_statement
from forum.search.postgres.spelling import without_seqscan
from forum.search.soft import CHOOSING, in_tiers, pass_for, soft_parts


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
    if not (short and parts and pass_for(len(parts[0]), True)):
        return _softly(parsed, node, found, short, long, limit, None)
    # The statistics, word counts and passes all go through the GIN indexes (_found).
    with without_seqscan():
        return _softly(parsed, node, found, short, long, limit, read_words(node))


def _softly(parsed, node, found: list[list], short: list[str], long: bool, limit: int,
            read) -> list[list]:  # fmt: skip
    """rows() once the query as typed is asked: the soft passes (planned from `read`, the
    words read, when there are any)."""
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
        statement, values = pass_statement(
            parsed, node, step, not long, tuple(short), limit - len(found), before,
            together=_cut_together(found, before),
        )  # fmt: skip
        found += _found(statement, values, index_only=True)
    scored = [(float(r[3]), r[-1] // CODE / STEP, r[-1] % CODE) for r in found]
    scores = in_tiers(scored, words, (soft or loose).known)
    for row, score in zip(found, scores, strict=True):
        row[3] = score
    found.sort(key=lambda r: (-r[-1], -r[3], r[0] != "prompt", r[1]))
    return [[*r[:-1], (r[-1] % CODE) / words] for r in found[:limit]]


def _cut_together(found: list[list], before) -> bool:
    """Whether a pass may keep only what is left to fill of both kinds together, in the order
    the rows are sorted in below (words held, then score, prompts first, id), before reading
    what a hit carries: exactly the rows that sort would keep. Not after another pass (a row
    of that pass may rank below this one's and be the one dropped), nor when a hit of the
    query as typed scores 0 (tiered then scales every row below it to 0, and the sort goes
    by kind and id, not by score)."""
    return before is None and all(float(row[3]) > 0 for row in found)


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
    # Planned for its words each time: how common they are decides the plan.
    if not index_only:
        return [list(row) for row in _executed(statement, parameters).all()]
    with without_seqscan():
        return [list(row) for row in _executed(statement, parameters).all()]


def _executed(statement, parameters: dict | None):
    return db.session.execute(statement, parameters, execution_options=PLANNED_EACH_TIME)
