"""Snippets: the best one or two stretches of a text around the reader's words, with <mark>.

whoosh.highlight.highlight() runs the field's analyzer (a chain of generators, one Token method
call per filter per word) over the whole stored text of every hit on the page, then a fragmenter
walks every token again; that was most of what a search cost beyond the engine's own work. For
the analyzers this project uses (a RegexTokenizer, then lower case, stop words and a stemmer),
one regular expression finds the words that may stem to a query term (they share the start of
its stem), each is stemmed once (cached), and fragments are cut around the matches only,
as Whoosh's ContextFragmenter cuts them: from up to `surround` characters before a match to
`surround` after the last match that follows within `surround`, at most `maxchars` long, on word
boundaries. The fragments with the most matches win (the earlier on a tie), shown in text order.
Any other analyzer goes Whoosh's way.
"""

from __future__ import annotations

import html
import re

from whoosh import highlight as wh

from forum.search.whoosh.fields import english_chain

WORDS_KEPT = 50_000
BETWEEN = "..."
_analysed: dict[str, tuple[str, bool]] = {}  # word as written -> (its token text, stopped)
_finders: dict[frozenset, re.Pattern] = {}


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


def _finder(termset: frozenset) -> re.Pattern:
    """Whole words that may stem to one of the terms (Snowball changes only a word's end). Each
    candidate is then analysed: the prefix only saves analysing every other word."""
    found = _finders.get(termset)
    if found is None:
        prefixes = sorted({_prefix(t) for t in termset}, reverse=True)
        found = re.compile(rf"(?<!\w)(?<!\w\.)(?:{'|'.join(prefixes)})\w*(?:\.?\w+)*", re.I)
        if len(_finders) > 1000:
            _finders.clear()
        _finders[termset] = found
    return found


def _prefix(stem: str) -> str:
    """What every word stemming to `stem` starts with: the stem less its last two letters, an
    "i" standing for "y" too ("dying" -> "die", "skies" -> "sky", "cries" -> "cri")."""
    return "".join("[iy]" if c == "i" else re.escape(c) for c in stem[: max(1, len(stem) - 2)])


def _is_word_end(text: str, position: int) -> bool:
    after = text[position : position + 2]
    return (
        not after[:1].isalnum()
        and after[:1] != "_"
        and not (after[:1] == "." and after[1:].isalnum())
    )


def _begin(text: str, expression: re.Pattern, match_start: int, surround: int) -> int:
    """Where a fragment around a match starts: the first whole word at most `surround`
    characters before it."""
    lowest = max(0, match_start - surround)
    for word in expression.finditer(text, lowest, match_start):
        if word.start() > lowest or lowest == 0 or not text[lowest - 1].isalnum():
            return word.start()
    return match_start


def _end(text: str, expression: re.Pattern, last_end: int, limit: int) -> int:
    """Where it ends: after the last whole word that ends by `limit`."""
    end = last_end
    for word in expression.finditer(text, last_end, limit):
        if word.end() < limit or _is_word_end(text, limit):
            end = word.end()
    return end


def _fragments(text: str, expression, spans, surround: int, maxchars: int):
    """(matches, start, end, matched spans) of each fragment, in text order, cut as Whoosh's
    ContextFragmenter cuts them."""
    fragments, i = [], 0
    while i < len(spans):
        begin = _begin(text, expression, spans[i][0], surround)
        inside = [spans[i]]
        i += 1
        while (
            i < len(spans)
            and spans[i][0] - inside[-1][1] <= surround
            and spans[i][1] - begin <= maxchars
        ):
            inside.append(spans[i])
            i += 1
        end = _end(text, expression, inside[-1][1], min(inside[-1][1] + surround, begin + maxchars))
        fragments.append((len(inside), begin, end, inside))
    return fragments


def _render(text: str, fragment) -> str:
    _, position, end, inside = fragment
    out = []
    for start, stop in inside:
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:stop])}</mark>")
        position = stop
    out.append(html.escape(text[position:end]))
    return "".join(out)


def _fast(text: str, termset: frozenset, plan, maxchars: int, surround: int, top: int) -> str:
    if len(_analysed) > WORDS_KEPT:
        _analysed.clear()
    known = _analysed.get
    spans = [
        m.span()
        for m in _finder(termset).finditer(text)
        if (known(m.group()) or _analyse(m.group(), plan))[0] in termset
    ]
    if not spans:
        return ""
    fragments = _fragments(text, plan[0], spans, surround, maxchars)
    best = sorted(range(len(fragments)), key=lambda n: (-fragments[n][0], n))[:top]
    return BETWEEN.join(_render(text, fragments[n]) for n in sorted(best))


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
