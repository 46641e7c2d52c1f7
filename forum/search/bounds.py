"""How much of a query an engine reads: at most MAX_TERMS words. A longer query keeps its most
telling words (`telling`, asked by the service, which says so to the reader); whatever still
reaches an engine is cut in reading order (`bounded`: a quoted phrase or a hyphenated word holds
many words in one). A rebuilt And keeps its `soft` flag."""

from __future__ import annotations

import re
from collections.abc import Callable

from forum.search.query import MAX_TERMS, And, Not, Or, Phrase, Term, group

PART = re.compile(r"[^\W_]+")


def _parts(word: str) -> int:
    """How many words an engine reads in one typed word ("state-of-the-art" is four)."""
    return max(1, len(PART.findall(word)))


def bounded(node, limit: int = MAX_TERMS):
    """The expression an engine reads: at most `limit` words, whatever reached it. Within the
    limit it is unchanged; past it the exclusions go first, then the words past the limit in
    reading order (a phrase keeps its first words)."""
    if node is None or _count(node) <= limit:
        return node
    return _cut(_without_exclusions(node), limit)[0]


def _count(node) -> int:
    if isinstance(node, Term):
        return _parts(node.word)
    if isinstance(node, Phrase):
        return sum(_parts(w) for w in node.words)
    if isinstance(node, Not):
        return _count(node.node)
    return sum(_count(child) for child in node.nodes)


def _without_exclusions(node):
    if isinstance(node, Not):
        return None
    if isinstance(node, And | Or):
        return group(node, [_without_exclusions(child) for child in node.nodes])
    return node


def _cut(node, room: int):
    """(the first `room` words of node or None, the room left)."""
    if node is None or room <= 0:
        return None, room
    if isinstance(node, Term | Phrase):
        words = [node.word] if isinstance(node, Term) else list(node.words)
        kept = []
        for word in words:
            if room <= 0:
                break
            parts = PART.findall(word)
            if len(parts) > room:
                word = "-".join(parts[:room])
            kept.append(word)
            room -= _parts(word)
        if not kept:
            return None, room
        return (Term(kept[0]) if len(kept) == 1 else Phrase(tuple(kept))), room
    parts = []
    for child in node.nodes:
        part, room = _cut(child, room)
        parts.append(part)
    return group(node, parts), room


# An OR keeps this many branches whatever they cost (what an ordinary query of a few words
# reads)...
MAX_OR_BRANCHES = 3
# ...and more of them, rarest first, while the documents its branches match times the number of
# branches (each match is ranked against each) stays within OR_WORK x the documents in the index,
# and never under OR_WORK_FLOOR: twenty common words ORed would otherwise rank nearly every
# document against twenty words.
OR_WORK = 1.0
OR_WORK_FLOOR = 20_000


def narrowed(node, estimate: Callable[[list[str]], tuple[dict[str, float], int]]):
    """The expression with each wide OR cut to its rarest branches (see OR_WORK). `estimate`
    answers, for a list of words, how many documents each matches (words it cannot estimate
    left out: they count as common) and how many documents the index holds; it is asked only
    when some OR has more than MAX_OR_BRANCHES branches."""
    if node is None or not _has_wide_or(node):
        return node
    counts, documents = estimate(sorted(set(_all_words(node))))
    budget = max(OR_WORK_FLOOR, OR_WORK * documents)
    return _narrow(node, counts, budget)[0]


def _has_wide_or(node) -> bool:
    if isinstance(node, Not):
        return _has_wide_or(node.node)
    if isinstance(node, And | Or):
        wide = isinstance(node, Or) and len(node.nodes) > MAX_OR_BRANCHES
        return wide or any(_has_wide_or(child) for child in node.nodes)
    return False


def _all_words(node):
    if isinstance(node, Term):
        yield node.word
    elif isinstance(node, Phrase):
        yield from node.words
    elif isinstance(node, Not):
        yield from _all_words(node.node)
    else:
        for child in node.nodes:
            yield from _all_words(child)


def _narrow(node, counts: dict[str, float], budget: float):
    """(the node with its wide ORs cut, how many documents it matches at most)."""
    if isinstance(node, Term):
        return node, counts.get(node.word, budget)
    if isinstance(node, Phrase):
        return node, min(counts.get(word, budget) for word in node.words)
    if isinstance(node, Not):
        return Not(_narrow(node.node, counts, budget)[0]), budget  # it matches nearly all
    parts = [_narrow(child, counts, budget) for child in node.nodes]
    if isinstance(node, And):
        positive = [n for child, n in parts if not isinstance(child, Not)]
        rebuilt = And(tuple(child for child, _ in parts), soft=node.soft)
        return rebuilt, min(positive, default=budget)
    kept, total = [], 0.0
    for index in sorted(range(len(parts)), key=lambda i: (parts[i][1], i)):
        matched = parts[index][1]
        if len(kept) >= MAX_OR_BRANCHES and (total + matched) * (len(kept) + 1) > budget:
            break
        kept.append(index)
        total += matched
    return group(node, [parts[i][0] for i in sorted(kept)]), total


# Words both engines leave out of their indexes (English stop words): never telling, whatever
# an estimate says of them.
_STOP = """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves"""
STOP_WORDS = frozenset(_STOP.split())
# Distinct words of a long query whose frequency is asked (in reading order): the rest count as
# common, so a pasted text of thousands of words costs one bounded lookup.
MAX_ESTIMATED = 300


def too_long(node, limit: int = MAX_TERMS) -> bool:
    """Whether an engine would read fewer words than the query holds."""
    return node is not None and _count(node) > limit


# A word held by fewer documents than this (a name, a code string of one post) leads to that
# one document alone: at most half of the words kept are such words (`telling`), so that a
# pasted question with a long code string keeps the words it shares with others too.
SHARED = 2


def telling(node, estimate: Callable[[list[str]], tuple[dict[str, float], int]],
            limit: int = MAX_TERMS):  # fmt: skip
    """A long query as an engine should read it: its `limit` most telling words (inverse
    document frequency: the fewer documents a word matches, the more it tells), in the order
    typed. Exclusions go first; a repeated word or phrase is kept once; a stop word, or a word
    the estimate does not know or finds nowhere (it finds nothing), tells least; among words
    as common, longer ones first; at most half of the words kept are held by one document
    only (SHARED). `estimate` is what `narrowed` asks. Within the limit the
    expression is unchanged."""
    if not too_long(node, limit):
        return node
    node = _without_exclusions(node)
    leaves = list(_leaves(node))
    words = list(dict.fromkeys(w for leaf in leaves for w in _words(leaf)))[:MAX_ESTIMATED]
    counts, documents = estimate(words)
    common = float("inf")

    def rarity(leaf) -> tuple[float, int]:
        found = [counts.get(w) or common if w not in STOP_WORDS else common for w in _words(leaf)]
        return min(found), -max(len(w) for w in _words(leaf))

    rarities = [rarity(leaf) for leaf in leaves]
    order = sorted(range(len(leaves)), key=lambda i: (*rarities[i], i))
    chosen, seen, room = set(), set(), limit
    alone = 0  # words kept that only one document holds (a phrase counts each of its words)
    for index in order:
        leaf, cost = leaves[index], _count(leaves[index])
        if leaf in seen or cost > room:
            continue
        if rarities[index][0] < SHARED:
            if alone + cost > limit // 2:
                continue
            alone += cost
        chosen.add(index)
        seen.add(leaf)
        room -= cost
    if not chosen:  # one phrase longer than the limit: its first words
        return bounded(node, limit)
    return bounded(_keep(node, chosen, iter(range(len(leaves))))[0], limit)


def _leaves(node):
    if isinstance(node, Term | Phrase):
        yield node
    elif isinstance(node, And | Or):
        for child in node.nodes:
            yield from _leaves(child)


def _words(leaf) -> tuple[str, ...]:
    return (leaf.word,) if isinstance(leaf, Term) else leaf.words


def _keep(node, chosen: set[int], numbers):
    """(node with only the chosen leaves, numbered in reading order)."""
    if isinstance(node, Term | Phrase):
        return (node if next(numbers) in chosen else None), numbers
    return group(node, [_keep(child, chosen, numbers)[0] for child in node.nodes]), numbers
