"""A Whoosh query matching documents that hold at least `minimum` of its parts (Whoosh 2.7.4's
`Or(minmatch=...)` is documented as "not yet implemented").

A document holding at least m of the parts sits at or after the m-th smallest current document
of the parts' matchers, so the matcher jumps there (skip_to: a common word's postings are
skipped, not read) and counts the parts standing on it, as Lucene's minimum-should-match
scorer does. Its score is the number of parts held times HELD, plus the parts' own scores:
Whoosh's top-N then keeps the hits holding the most parts, best first within each number
(`held` and `text_score` read the two back).

Bounded (forum/search/soft.py `choosing`): only the `choosing` parts the index holds in the
fewest documents (rarest first) move the matcher and must hold `minimum`; the other parts are
only skipped to each candidate so as to be counted and scored, so the long posting lists of
common words of a pasted question are jumped over, never walked."""

from __future__ import annotations

import math

from whoosh import query as wq
from whoosh.matching import Matcher, NullMatcher, wrappers

from forum.search.bounds import SHARED
from forum.search.soft import CHOOSING, budgeted, weights, within_budget

# Far above any BM25F sum of 40 words over three fields.
HELD = 1e6
# Above HELD x 40 parts: the weighted words held (forum/search/soft.py) come first.
WEIGHED = 1e9


def held(score: float) -> int:
    """How many parts the document whose MinMatch score this is holds."""
    return int((score % WEIGHED) // HELD)


# The weighed words held are kept to this fraction of a word.
STEP = 100


def weighed(score: float) -> float:
    """The parts the document holds, each weighed by how rare it is (soft.weights), to 1/STEP."""
    return (score // WEIGHED) / STEP


def text_score(score: float) -> float:
    """The parts' own score within a MinMatch score."""
    return score % HELD


class MinMatch(wq.CompoundQuery):
    """At least `minimum` of `subqueries` (each normalized already; never normalized again:
    Whoosh's normalize would rebuild it without its minimum)."""

    JOINT = " MINMATCH "

    def __init__(self, subqueries, minimum: int, boost: float = 1.0, choosing: int | None = None):
        super().__init__(subqueries, boost=boost)
        self.minimum = minimum
        self.choosing = len(subqueries) if choosing is None else choosing

    def __eq__(self, other):
        return (
            super().__eq__(other)
            and self.minimum == other.minimum
            and self.choosing == other.choosing
        )

    def __hash__(self):
        return super().__hash__() ^ hash((self.minimum, self.choosing))

    def apply(self, fn):
        return self.__class__(
            [fn(q) for q in self.subqueries], self.minimum, boost=self.boost, choosing=self.choosing
        )

    def chosen(self, ixreader, sizes: list[int] | None = None) -> tuple[list, list]:
        """(the parts choosing the candidates: the `choosing` rarest that some document holds,
        the parts only counted). A word no document holds cannot choose: a pasted question's
        typos and words nobody wrote would leave its minimum out of reach."""
        # The last pass of a few words or of a pasted question keeps to a budget (soft.py).
        in_budget = self.minimum == 1 and budgeted(len(self.subqueries))
        if len(self.subqueries) <= self.choosing and not in_budget:
            return list(self.subqueries), []
        if sizes is None:
            sizes = [q.estimate_size(ixreader) for q in self.subqueries]
        # A word no document holds never chooses; at most half the choosers are words one
        # document alone holds (a name, a code string of one post: bounds.SHARED).
        order = sorted(range(len(self.subqueries)), key=lambda i: (sizes[i] == 0, sizes[i], i))
        if len(self.subqueries) > min(self.choosing, CHOOSING):  # not a few typed words
            alone = [i for i in order if 0 < sizes[i] < SHARED][: self.choosing // 2]
            order = [i for i in order if i in alone or not 0 < sizes[i] < SHARED]
            order = order[: self.choosing]
        if in_budget:
            order = within_budget(order, sizes.__getitem__)
        choosing = set(order)
        return (
            [q for i, q in enumerate(self.subqueries) if i in choosing],
            [q for i, q in enumerate(self.subqueries) if i not in choosing],
        )

    def normalize(self):
        return self

    def estimate_size(self, ixreader):
        choosing, _ = self.chosen(ixreader)
        return min(sum(q.estimate_size(ixreader) for q in choosing), ixreader.doc_count())

    def matcher(self, searcher, context=None):
        # The whole index's figures, not the segment's this searcher may read: every segment
        # chooses the same rarest words and weighs them alike, so scores compare across them.
        reader = searcher.get_parent().reader()
        sizes = [q.estimate_size(reader) for q in self.subqueries]
        choosing, counted = self.chosen(reader, sizes)
        if not choosing or self.minimum > len(choosing):
            return NullMatcher()
        weight = dict(
            zip(map(id, self.subqueries), weights(sizes, reader.doc_count()), strict=True)
        )
        parts = [WeighedMatcher(q.matcher(searcher, context), weight[id(q)]) for q in choosing]
        others = [WeighedMatcher(q.matcher(searcher, context), weight[id(q)]) for q in counted]
        return MinMatchMatcher(parts, max(1, self.minimum), others)


def known(query, searcher) -> int:
    """How many of the words of the MinMatch in `query` (itself, or the first side of an
    AndNot) some document of the whole index holds (soft.in_tiers)."""
    while isinstance(query, wq.AndNot):
        query = query.a
    if not isinstance(query, MinMatch):
        return 0
    reader = searcher.get_parent().reader()
    return sum(1 for q in query.subqueries if q.estimate_size(reader) > 0)


class WeighedMatcher(wrappers.WrappingMatcher):
    """A part's matcher carrying the weight of its word (soft.weights)."""

    def __init__(self, child, weight: float):
        super().__init__(child)
        self.weighs = weight

    def _replacement(self, newchild):
        return WeighedMatcher(newchild, self.weighs)

    def copy(self):
        return WeighedMatcher(self.child.copy(), self.weighs)


class MinMatchMatcher(Matcher):
    def __init__(self, parts, minimum: int, counted=()):
        self._parts = parts
        self._counted = list(counted)  # skipped to each candidate, never moving the matcher
        self._minimum = minimum
        self._id = None
        self._held = 0
        self._settle()

    def __repr__(self):
        return f"MinMatchMatcher({self._parts!r}, minimum={self._minimum})"

    def _standing(self, target) -> list:
        """The counted parts on `target` (each skipped there, forward only)."""
        standing = []
        for m in self._counted:
            if m.is_active() and m.id() < target:
                m.skip_to(target)
            if m.is_active() and m.id() == target:
                standing.append(m)
        return standing

    def _settle(self) -> None:
        """Stand on the first document, from where the parts are, held by `minimum` parts."""
        minimum = self._minimum
        while True:
            active = [m for m in self._parts if m.is_active()]
            if len(active) < minimum:
                self._id, self._held = None, 0
                return
            target = sorted(m.id() for m in active)[minimum - 1]
            count = 0
            for m in active:
                if m.id() < target:
                    m.skip_to(target)
                if m.is_active() and m.id() == target:
                    count += 1
            if count >= minimum:
                self._id = target
                self._held = count + (len(self._standing(target)) if self._counted else 0)
                return

    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def next(self):
        current = self._id
        for m in self._parts:
            if m.is_active() and m.id() == current:
                m.next()
        self._settle()

    def skip_to(self, id):
        if self._id is None or id <= self._id:
            return
        for m in self._parts:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._settle()

    def score(self):
        current = self._id
        standing = [m for m in self._parts if m.is_active() and m.id() == current]
        standing += self._standing(current) if self._counted else []
        own = sum(m.score() for m in standing)
        weighed = math.floor(sum(getattr(m, "weighs", 1.0) for m in standing) * STEP + 1e-6)
        return weighed * WEIGHED + self._held * HELD + own

    def weight(self):
        return self.score()

    def supports_block_quality(self):
        return False

    def children(self):
        return [m for m in self._parts if m.is_active()]

    def copy(self):
        return MinMatchMatcher(
            [m.copy() for m in self._parts], self._minimum, [m.copy() for m in self._counted]
        )

    def reset(self):
        for m in [*self._parts, *self._counted]:
            m.reset()
        self._settle()

    def supports(self, astype):
        return False

    def spans(self):
        return []

    def value(self):
        return None
