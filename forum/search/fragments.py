"""Snippets' fragments, whichever engine found the hit: the best one or two stretches of a text
around the spans its matches occupy, each matched span in <mark>, the rest escaped.

Fragments are cut as Whoosh's ContextFragmenter cuts them: from up to `surround` characters
before a match to `surround` after the last match that follows within `surround`, at most
`maxchars` long, on word boundaries. The fragments with the most matches win (the earlier on a
tie), shown in text order. Which words match is the engine's business (its own analysis); the
candidates are found by the start their stems share (`finder`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

BETWEEN = "..."
# Per set of stems: (the expression over the text as written, the same over the text in lower
# case without the check on what precedes a word, or None when a stem is not ASCII).
_finders: dict[frozenset, tuple[re.Pattern, re.Pattern | None]] = {}
# The only characters a case-blind ASCII letter matches that lower() does not turn into it
# (dotless i, long s); lower() turns the Kelvin sign into "k", as matching does.
_FOLDED_APART = ("\u0131", "\u017f")


def candidates(stems: Iterable[str], text: str) -> list[tuple[int, int]]:
    """The spans of the whole words of `text` that may stem to one of the stems (Snowball
    changes only a word's end). Each candidate is then analysed: the prefix only saves
    analysing every other word. For ASCII stems the text is searched in lower case, and what
    precedes each word checked on the few it finds: a case-blind expression that checks
    before every character took three to five times as long (a millisecond of a search's
    snippets)."""
    key = frozenset(stems)
    found = _finders.get(key)
    if found is None:
        prefixes = "|".join(sorted({_prefix(s) for s in key}, reverse=True))
        lowered = re.compile(rf"(?:{prefixes})\w*(?:\.?\w+)*") if prefixes.isascii() else None
        found = (re.compile(rf"(?<!\w)(?<!\w\.)(?:{prefixes})\w*(?:\.?\w+)*", re.I), lowered)
        if len(_finders) > 1000:
            _finders.clear()
        _finders[key] = found
    written, lowered = found
    low = text.lower()
    if lowered is None or len(low) != len(text) or any(c in text for c in _FOLDED_APART):
        return [m.span() for m in written.finditer(text)]
    return [m.span() for m in lowered.finditer(low) if _starts_word(low, m.start())]


def _starts_word(text: str, start: int) -> bool:
    """Nothing of a word just before `start`: not a word character, nor a dot after one (what
    the written expression's two look-behinds check)."""
    return start == 0 or not (
        _in_word(text[start - 1])
        or (text[start - 1] == "." and start > 1 and _in_word(text[start - 2]))
    )


def _in_word(character: str) -> bool:
    """What \\w matches in a str expression."""
    return character.isalnum() or character == "_"


def _prefix(stem: str) -> str:
    """What every word stemming to `stem` starts with: the stem less its last two letters, an
    "i" standing for "y" too ("dying" -> "die", "skies" -> "sky", "cries" -> "cri")."""
    return "".join("[iy]" if c == "i" else re.escape(c) for c in stem[: max(1, len(stem) - 2)])


def best(text: str, spans: list[tuple[int, int]], words: re.Pattern, *, maxchars: int = 220,
         surround: int = 60, top: int = 2) -> str:  # fmt: skip
    """Escaped HTML of the best `top` fragments of `text` around `spans` (in text order), cut at
    the words `words` finds; "" without spans."""
    if not spans:
        return ""
    fragments = _fragments(text, words, spans, surround, maxchars)
    chosen = sorted(range(len(fragments)), key=lambda n: (-fragments[n][0], n))[:top]
    return BETWEEN.join(_render(text, fragments[n]) for n in sorted(chosen))


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
    """(matches, start, end, matched spans) of each fragment, in text order."""
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
