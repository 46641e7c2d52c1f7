"""Soft matching, shared by the engines: words put side by side (a soft `And` at the top of the
query, forum/search/query.py) match hits holding every word first, then hits holding most of
them.

- How many of the n words a hit must hold grows with the query (as Lucene's
  `minimum_should_match`): 1-2 words all of them, 3-4 all but one, 5 and more two thirds of
  them, rounded down (5 -> 3, 6 -> 4, 10 -> 6, 40 -> 26). A "word" is one side-by-side part of
  the query: a word, a "phrase" or a bracket; stop words, which no engine indexes, do not count.
- Only the top of the query is soft: words the reader joined with AND, and words inside an OR or
  under a NOT, keep their strict meaning, and a NOT beside the words still excludes.
- Hits holding more of the words rank first, then by the engine's own text score (up to
  TIERED_WORDS words; past that, a title or a question, the hits holding every word first and
  the rest by the engine's text score, which counts how many and how well). The engine
  hands the service `tiered` scores: each group of hits holding fewer words scores at most
  TIER_GAP times the weakest hit holding more, so that `best`, text_norm x (0.3 + 0.7 u), can
  never lift a hit holding fewer words above one holding more (0.3 x weakest > TIER_GAP x it).
- `matched` (explain.matched) is the fraction of those words a hit holds: 1.0 for a hit holding
  them all, and for every hit of a query that is not soft (it met the query as typed).
- Nothing comes back empty while a document holds any of the words: when the hits holding most
  of them (and the query as typed) leave the engine's candidates short, hits holding fewer
  follow, down to one word (`passes`), each number of words held below the numbers above it.
- Bounded: the CHOOSING rarest words choose the candidates (`choosing`): a hit must hold the
  minimum of those (5 of 8), and how many of all the words it holds is counted on those
  candidates only. Up to CHOOSING words that is the rule above; for a pasted question of 40
  words the common ones ("use", "time") never walk their long lists of documents, and a hit
  holding every word still holds the rare ones, so it still comes first.
"""

from __future__ import annotations

import math

from forum.search.query import And, Not, Or

# Below 0.3 (the least usefulness can weigh in `best`), with room to spare.
TIER_GAP = 0.25


def minimum_should_match(words: int) -> int:
    """How many of `words` side-by-side words a hit must hold."""
    if words <= 2:
        return words
    if words <= 4:
        return words - 1
    return (2 * words) // 3


# At most this many words, the rarest, choose the candidates of a soft query (on PostgreSQL the
# combinations of 5 of 8 words, 56, stay an exact index condition).
CHOOSING = 8


def choosing(words: int) -> tuple[int, int]:
    """(how many of `words` side-by-side words, the rarest, choose the candidates, how many of
    those a candidate must hold)."""
    chosen = min(words, CHOOSING)
    return chosen, minimum_should_match(chosen)


# The last pass, any one word, lets this many of the rarest words choose: one rare word held
# anywhere finds its documents, and an OR of rare words walks only short lists.
LOOSE_CHOOSING = 16


# The last pass of a few typed words or of a pasted question (`budgeted`): its choosers, the
# rarest first, stop before the documents they are held in, as estimated, pass this many,
# once they hold enough to fill the candidates (LOOSE_FILL; one word at least): rows past it
# would be read but never ranked on PostgreSQL (its RANKED), and on Whoosh every candidate
# counts all the other words.
LOOSE_DOCUMENTS = 1000
# The candidates an engine is asked for (the service's 200): the choosers go past the budget
# until their documents could fill them, so that a rare word held only by the reader's own
# thread does not leave the others out.
LOOSE_FILL = 200


def within_budget(choosers: list, found) -> list:
    """The first of `choosers` (the rarest first) whose documents, `found(chooser)` each, stay
    within LOOSE_DOCUMENTS together, or as many as hold LOOSE_FILL documents; the first one
    always."""
    kept, documents = [], 0.0
    for chooser in choosers:
        if kept and documents >= LOOSE_FILL and documents + found(chooser) > LOOSE_DOCUMENTS:
            break
        kept.append(chooser)
        documents += found(chooser)
    return kept


def passes(words: int) -> list[tuple[int, int]]:
    """The soft passes for `words` side-by-side words, in the order they are asked, each (how
    many of the words, the rarest, choose the candidates; how many of those a candidate must
    hold): most of the words first (`choosing`), then any one of the LOOSE_CHOOSING rarest. A
    pass is asked only while the passes before it (and the query as typed) leave candidates
    to fill, so a hit holding fewer words only ever comes after every hit holding more, and
    nothing comes back empty while any document holds one of the words. Empty for one word."""
    chosen, minimum = choosing(words)
    found = [(chosen, minimum)] if minimum < words else []
    if minimum > 1:
        found.append((min(words, LOOSE_CHOOSING), 1))
    return found


MIN_WEIGHT = 0.01

# BM25's k3 (Robertson's): a word the reader wrote twice weighs 1.8 times, three times 2.5,
# never past 9 (`repeated`).
QUERY_K3 = 8.0


def repeated(times: int) -> float:
    """How much more a word weighs when the query holds it `times` times (BM25's query term
    frequency): a pasted question says its subject more than once."""
    return (QUERY_K3 + 1) * times / (QUERY_K3 + times)


def weights(documents: list[float], total: int) -> list[float]:
    """Each word's weight in the tiers, from how many of the `total` documents hold it: its
    inverse document frequency (BM25's), scaled so that the words some document holds weigh
    as many as they are (a word no document holds weighs 0: nobody can hold it). Holding a
    rare word then counts for more than holding a common one: a pasted question's hits are
    the ones holding its telling words, not every "use" and "time" in it."""
    held = [found for found in documents if found > 0]
    if not held or total < max(held):  # no figures to weigh by (no statistics yet): alike
        return [1.0] * len(documents)
    # A word every document holds still counts a little (MIN_WEIGHT of an idf).
    idf = [
        max(MIN_WEIGHT, math.log(1 + (total - found + 0.5) / (found + 0.5))) if found > 0 else 0.0
        for found in documents
    ]
    scale = len(held) / sum(idf)
    return [w * scale for w in idf]


def pass_for(words: int, loose: bool) -> tuple[int, int] | None:
    """The pass of `passes` an engine asks: most of the words, or with `loose` any one of them;
    None when there is no such pass for `words` words."""
    steps = passes(words)
    if loose:
        return steps[-1] if steps and steps[-1][1] == 1 else None
    return steps[0] if steps and steps[0][1] > 1 else None


def soft_parts(node) -> tuple[list, list] | None:
    """(the positive parts, the NOT parts) of a soft conjunction at the top of the query, or
    None when the query is not one (then every hit must meet the query as typed)."""
    if not isinstance(node, And) or not node.soft:
        return None
    positive = [child for child in node.nodes if not isinstance(child, Not)]
    excluded = [child for child in node.nodes if isinstance(child, Not)]
    return positive, excluded


def loosened(node) -> And | None:
    """For an OR at the top of a query that found too few to fill the candidates (a pasted
    paragraph with "OR" typed in capitals, say): the words of all its sides as one soft
    conjunction, whose hits follow the OR's own, below them, rather than nothing. Words put
    side by side on a side become parts of their own; a side joined with a typed AND stays one
    strict part, and every side's NOT still excludes. None when the query is no such OR, or
    no side has words to loosen (an OR of single words already finds any one of them)."""
    if not isinstance(node, Or) or not any(
        isinstance(side, And) and side.soft for side in node.nodes
    ):
        return None
    parts: list = []
    for side in node.nodes:
        found = side.nodes if isinstance(side, And) and side.soft else (side,)
        parts.extend(part for part in found if part not in parts)
    if sum(not isinstance(part, Not) for part in parts) < 2:
        return None
    return And(tuple(parts), soft=True)


# Up to this many side-by-side words (a few words typed) each weighed number of words held is a
# tier of its own; from one more (a title typed as is, a pasted question) only the hits holding
# every word are (`in_tiers`).
TIERED_WORDS = 4


def budgeted(words: int) -> bool:
    """Whether the last pass (any one word) of `words` side-by-side words keeps to the budget
    (`within_budget`): up to TIERED_WORDS words (a few typed: the last pass's hits hold one or
    two of them, and one holding only a common word is one of thousands alike, ranked below
    every hit holding a rarer one) and past CHOOSING (a pasted question: its common words
    would walk long lists). A title of the words between ranks the last pass's hits by the
    engine's score, where a hit holding several of its common words is what it looks for
    (bench/README.md, "fifth round": MAP 0.228 against 0.212 on the duplicate links)."""
    return words <= TIERED_WORDS or words > CHOOSING


def in_tiers(
    scored: list[tuple[float, float, int]], words: int, known: int | None = None
) -> list[float]:
    """Text scores from (engine score, weighed words held, words held) of the hits of `words`
    side-by-side words, of which `known` (all by default) are words some document holds, in
    the same order (`tiered`). Up to TIERED_WORDS known words (a few words typed) a tier per
    weighed number of words held (`weights`): a hit holding more of them, or rarer ones,
    always ranks above, however useful the other. From one more (a title typed as is, a
    pasted question: a situation said in a sentence) the hits holding every word in a tier of
    their own, the rest by the engine's text score, which grows with each word held, more with
    a rare one and more where it recurs (BM25 on both engines): which of a sentence's words a
    hit holds, and how much, says more than how many it holds, and tiers by that count ranked
    titles' hits by their common words (bench/README.md, "Relevance, third round" and "fifth
    round"). A word nobody wrote (a typo, a name) tells no hit from another, so it does not
    make a few typed words a sentence."""
    if (words if known is None else known) > TIERED_WORDS:
        return tiered([(score, int(held >= words)) for score, _, held in scored])
    return tiered([(score, math.floor(weighed + 1e-6)) for score, weighed, _ in scored])


def tiered(scored: list[tuple[float, int]]) -> list[float]:
    """Text scores from (engine score, words held) pairs, in the same order: within a number of
    words held the engine's scores as they are (or all scaled by one factor), and each number
    of words held entirely below TIER_GAP x the weakest hit holding more."""
    if not scored:
        return []
    scale: dict[int, float] = {}
    floor = None  # the weakest score, once scaled, of the groups holding more words
    for held in sorted({held for _, held in scored}, reverse=True):
        scores = [score for score, h in scored if h == held]
        factor = 1.0
        top = max(scores)
        if floor is not None and top > 0 and top > TIER_GAP * floor:
            factor = TIER_GAP * floor / top
        scale[held] = factor
        floor = min(scores) * factor
    return [score * scale[held] for score, held in scored]
