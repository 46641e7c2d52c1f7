"""What an edit changed: two versions of a text compared word by word, the words taken out in
<del> and the words put in as <ins>, each with words a screen reader says ("removed", "added")."""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str | None, new: str | None) -> Markup:
    """The Markdown source `new` as HTML text, with what differs from `old` marked."""
    before, after = _tokens(old or ""), _tokens(new or "")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(after[b1:b2]))))
            continue
        if op in ("delete", "replace"):
            out.append(_marked("del", "removed", "".join(before[a1:a2])))
        if op in ("insert", "replace"):
            out.append(_marked("ins", "added", "".join(after[b1:b2])))
    return Markup("".join(out))  # noqa: S704 (every piece of text is escaped above)


def _marked(tag: str, said: str, text: str) -> str:
    return (
        f'<{tag}><span class="visually-hidden">[{said}: </span>{escape(text)}'
        f'<span class="visually-hidden">]</span></{tag}>'
    )


def changed_words(old: str | None, new: str | None) -> tuple[int, int]:
    """(words removed, words added) from `old` to `new`."""
    before, after = (old or "").split(), (new or "").split()
    removed = added = 0
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            removed += a2 - a1
        if op in ("insert", "replace"):
            added += b2 - b1
    return removed, added
