"""Long contributions fold: the first part stays in view and the rest waits behind "Show more"
(a <details> element, so it needs no JavaScript). Works on the sanitized HTML stored with each
contribution (forum/rendering.py), whose tags are balanced."""

from __future__ import annotations

import re
from typing import NamedTuple

# A contribution longer than this many words (of its Markdown source) folds.
FOLD_OVER_WORDS = 150
# About how many words stay in view above "Show more".
KEEP_WORDS = 60
# Less than this many words behind "Show more" is not worth a fold.
LEAST_FOLDED_WORDS = 25

_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_VOID = {"br", "hr", "img"}
_SENTENCE_END = re.compile(r"[.!?:;][)\"'”’]?\s+")


class Folded(NamedTuple):
    """The part in view and the part behind "Show more" (empty: nothing folds)."""

    shown: str
    rest: str


def word_count(text: str | None) -> int:
    return len((text or "").split())


def fold(html: str, source: str | None) -> Folded:
    """Split `html` (rendered from `source`) when the source is over `FOLD_OVER_WORDS` words:
    after the first whole blocks that hold about `KEEP_WORDS` words, or inside a first
    paragraph that is a wall of text, after a sentence."""
    if word_count(source) <= FOLD_OVER_WORDS:
        return Folded(html, "")
    at = _split_point(html)
    if at is None:
        return Folded(html, "")
    index, reopen = at
    if reopen and html[index:].lstrip().startswith("</p>"):  # the sentence ended the paragraph
        index, reopen = html.index("</p>", index) + len("</p>"), False
    shown, rest = html[:index], html[index:]
    if reopen:  # split inside a top-level paragraph: close it here, open it again there
        shown, rest = shown.rstrip() + "</p>", "<p>" + rest.lstrip()
    if word_count(_text_of(rest)) < LEAST_FOLDED_WORDS:
        return Folded(html, "")
    return Folded(shown.rstrip(), rest.strip())


def _text_of(html: str) -> str:
    return re.sub(r"<[^>]*>", " ", html)


def _split_point(html: str) -> tuple[int, bool] | None:
    """(index, whether the split is inside a top-level <p>), or None."""
    stack: list[str] = []
    words, position = 0, 0
    for match in _TOKEN.finditer(html):
        token, position = match.group(0), match.end()
        if token.startswith("</"):
            if stack:
                stack.pop()
            if not stack and words >= KEEP_WORDS:
                return position, False
        elif token.startswith("<"):
            name = re.match(r"<\s*([a-zA-Z0-9]+)", token)
            if name and name.group(1).lower() not in _VOID and not token.endswith("/>"):
                stack.append(name.group(1).lower())
        else:
            count = word_count(token)
            if stack == ["p"] and words + count > KEEP_WORDS * 1.5:
                # A wall of one paragraph: stop after the first sentence past KEEP_WORDS.
                for end in _SENTENCE_END.finditer(token):
                    if words + word_count(token[: end.end()]) >= KEEP_WORDS:
                        return match.start() + end.end(), True
            words += count
    return None
