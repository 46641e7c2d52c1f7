"""Snippets: Whoosh's highlight() with a faster token stream and a stable choice of fragments.

whoosh.highlight.highlight() runs the field's analyzer (a chain of generators, one Token method
call per filter per word) over the whole stored text of every hit on the page; that was most of
the cost of a snippet. For the analyzers this project uses (a RegexTokenizer, then lower case,
stop words and a stemmer) the tokens below are the same tokens (text, characters, stopped,
matched), made in one loop with the stems cached. Any other analyzer goes the stock way.

Whoosh ranks fragments of equal score by their memory addresses (Fragment.__lt__ compares id()),
so the same text and query could give different snippets; here the earlier fragment wins.
"""

from __future__ import annotations

import bisect
import heapq
import itertools

from whoosh import highlight as wh
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.acore import Token

WORDS_KEPT = 200_000
_analysed: dict[str, tuple[str, bool]] = {}  # lower-case word -> (its token text, stopped)


def _plan(analyzer):
    """What the fast path needs from a RegexTokenizer | Lowercase | Stop | Stem chain, or None."""
    items = getattr(analyzer, "items", None)
    if not items or len(items) != 4:
        return None
    tokenizer, lower, stop, stem = items
    if not (
        type(tokenizer) is RegexTokenizer
        and not tokenizer.gaps
        and type(lower) is LowercaseFilter
        and type(stop) is StopFilter
        and type(stem) is StemFilter
    ):
        return None
    return tokenizer.expression, stop.stops, stop.min, stop.max, stem._stem, stem.ignore


def _analyse(word: str, plan) -> tuple[str, bool]:
    """(token text, stopped) of a lower-case word, as the stop and stem filters leave it."""
    known = _analysed.get(word)
    if known is None:
        _, stops, shortest, longest, stem, ignore = plan
        stopped = (len(word) < shortest or (longest is not None and len(word) > longest)
                   or word in stops)  # fmt: skip
        known = _analysed[word] = (word if stopped or word in ignore else stem(word), stopped)
    return known


def _needed(spans: list[tuple[int, int]], matched: list[int], surround: int, maxchars: int):
    """The tokens a ContextFragmenter must see to make the same fragments: around each match,
    those that can set where its fragment starts (from `surround` characters before the end of
    the token before it) and those its fragment can run over (at most 2 x surround + maxchars
    characters of tokens after it). Between such stretches the fragmenter only forgets."""
    if not matched:
        return []
    starts = [start for start, _ in spans]
    lengths = list(itertools.accumulate(end - start for start, end in spans))
    budget = maxchars + 2 * surround
    needed: list[int] = []
    for n in matched:
        first = n
        if n > 0:
            first = min(n - 1, bisect.bisect_left(starts, spans[n - 1][1] - surround, 0, n - 1))
        before = lengths[n - 1] if n else 0
        last = min(len(spans) - 1, bisect.bisect_right(lengths, before + budget, n))
        first = max(first, needed[-1] + 1) if needed else first
        needed.extend(range(first, last + 1))
    return needed


def _tokens(text: str, plan, termset: frozenset, fragmenter):
    """The tokens of analyzer(text, chars=True, mode="query", removestops=False), marked as
    matched or not; for a ContextFragmenter, only those it needs to see."""
    if len(_analysed) > WORDS_KEPT:
        _analysed.clear()
    pattern = plan[0]
    matches = list(pattern.finditer(text))
    context = isinstance(fragmenter, wh.ContextFragmenter) and (
        type(fragmenter).fragment_tokens is wh.ContextFragmenter.fragment_tokens
    )
    if context:
        limit = fragmenter.charlimit
        if limit and matches and matches[-1].end() > limit:  # it stops at the first past it
            matches = matches[: bisect.bisect_right(matches, limit, key=lambda m: m.end()) + 1]
        words = [m.group(0) for m in matches]
        hits = {w for w in set(words) if _analyse(w.lower(), plan)[0] in termset}
        matched = [n for n, w in enumerate(words) if w in hits]
        spans = [m.span() for m in matches] if matched else []
        needed = _needed(spans, matched, fragmenter.surround, fragmenter.maxchars)
        if limit and matches and matches[-1].end() > limit and needed[-1:] != [len(matches) - 1]:
            needed.append(len(matches) - 1)
    else:
        needed = range(len(matches))
    token = Token(False, True, removestops=False, mode="query")
    token.boost = 1.0
    for n in needed:
        match = matches[n]
        token.text, token.stopped = _analyse(match.group(0).lower(), plan)
        token.startchar, token.endchar = match.start(), match.end()
        token.matched = token.text in termset
        yield token


def _top_fragments(fragments, count: int, minscore: int = 1) -> list:
    scorer = wh.BasicFragmentScorer()
    scored = ((scorer(f), -n, f) for n, f in enumerate(fragments))
    best = [f for score, _, f in heapq.nlargest(count, scored, key=lambda s: s[:2])
            if score >= minscore]  # fmt: skip
    best.sort(key=wh.FIRST)
    return best


def highlight(text: str, terms, analyzer, fragmenter, formatter, top: int) -> str:
    """Like whoosh.highlight.highlight(text, terms, analyzer, fragmenter, formatter, top)."""
    termset = frozenset(terms)
    plan = _plan(analyzer)
    if plan is None:
        tokens = wh.set_matched_filter(
            analyzer(text, chars=True, mode="query", removestops=False), termset
        )
    else:
        tokens = _tokens(text, plan, termset, fragmenter)
    return formatter(text, _top_fragments(fragmenter.fragment_tokens(text, tokens), top))
