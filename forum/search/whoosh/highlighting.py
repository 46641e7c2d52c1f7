"""Snippets: the best one or two stretches of a text around the reader's words, with <mark>.

whoosh.highlight.highlight() runs the field's analyzer (a chain of generators, one Token method
call per filter per word) over the whole stored text of every hit on the page, then a fragmenter
walks every token again; that was most of what a search cost beyond the engine's own work. For
the analyzers this project uses (a RegexTokenizer, then lower case, stop words and a stemmer),
one regular expression finds the words that may stem to a query term (they share the start of
its stem), each is stemmed once (cached), and fragments are cut around the matches only, as
Whoosh's ContextFragmenter cuts them (forum/search/fragments.py, which the PostgreSQL engine's
snippets share). Any other analyzer goes Whoosh's way.
"""

from __future__ import annotations

from whoosh import highlight as wh

from forum.search import fragments
from forum.search.whoosh.fields import english_chain

WORDS_KEPT = 50_000
_analysed: dict[str, tuple[str, bool]] = {}  # word as written -> (its token text, stopped)


class MarkFormatter(wh.HtmlFormatter):
    """Matches as bare <mark>word</mark> (docs/api.md); the stock template adds per-term classes."""

    template = "<mark>%(t)s</mark>"


def _analyse(written: str, plan) -> tuple[str, bool]:
    """(token text, stopped) of a word, as the lower case, stop and stem filters leave it."""
    known = _analysed.get(written)
    if known is None:
        _, stops, shortest, longest, stem, ignore = plan
        word = written.lower()
        stopped = (len(word) < shortest or (longest is not None and len(word) > longest)
                   or word in stops)  # fmt: skip
        known = _analysed[written] = (word if stopped or word in ignore else stem(word), stopped)
    return known


def _fast(text: str, termset: frozenset, plan, maxchars: int, surround: int, top: int) -> str:
    if len(_analysed) > WORDS_KEPT:
        _analysed.clear()
    known = _analysed.get
    spans = [
        (a, b)
        for a, b in fragments.candidates(termset, text)
        if (known(text[a:b]) or _analyse(text[a:b], plan))[0] in termset
    ]
    return fragments.best(text, spans, plan[0], maxchars=maxchars, surround=surround, top=top)


def highlight(text: str, terms, analyzer, *, maxchars: int = 220, surround: int = 60,
              top: int = 2) -> str:  # fmt: skip
    """Escaped HTML of the best `top` fragments of `text` with the analysed `terms` marked, or ""
    when none of them occurs."""
    termset = frozenset(terms)
    plan = english_chain(analyzer)
    if plan is not None:
        return _fast(text, termset, plan, maxchars, surround, top)
    fragmenter = wh.ContextFragmenter(maxchars=maxchars, surround=surround)
    return wh.highlight(text, termset, analyzer, fragmenter, MarkFormatter(), top=top)
