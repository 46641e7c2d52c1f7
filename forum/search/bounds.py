"""How much of a query an engine reads: whatever reaches it, at most MAX_TERMS words (the
parser refuses longer queries, but a quoted phrase or a hyphenated word holds many words in one,
and a later reader of the query may keep more)."""

from __future__ import annotations

import re
from collections.abc import Callable

from forum.search.query import MAX_TERMS, And, Not, Or, Phrase, Term

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
        return _group(type(node), [_without_exclusions(child) for child in node.nodes])
    return node


def _group(kind, nodes):
    kept = tuple(n for n in nodes if n is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(kept)


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
    return _group(type(node), parts), room


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
        return And(tuple(child for child, _ in parts)), min(positive, default=budget)
    kept, total = [], 0.0
    for index in sorted(range(len(parts)), key=lambda i: (parts[i][1], i)):
        matched = parts[index][1]
        if len(kept) >= MAX_OR_BRANCHES and (total + matched) * (len(kept) + 1) > budget:
            break
        kept.append(index)
        total += matched
    return _group(Or, [parts[i][0] for i in sorted(kept)]), total
