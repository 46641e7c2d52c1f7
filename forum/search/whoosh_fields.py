"""Whoosh field types and a fix that make bulk indexing cheaper (see WhooshEngine.rebuild)."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, TEXT

# The unstemmed words already written for "did you mean" during a rebuild, by field object
# (None outside a rebuild).
_spelled: ContextVar[dict | None] = ContextVar("spelled", default=None)


class SpelledText(TEXT):
    """TEXT whose unstemmed spelling words are written once per rebuild, not once per document:
    the corrector only needs the list of words (Whoosh ranks suggestions without their counts).
    Only words not met before in the rebuild go through the analyzer again."""

    def spellable_words(self, value):
        rebuild = _spelled.get()
        seen = None if rebuild is None else rebuild.setdefault(id(self), set())
        tokenizer = getattr(self.analyzer, "items", [None])[0]
        pattern = getattr(tokenizer, "expression", None)
        if seen is None or pattern is None or getattr(tokenizer, "gaps", True):
            yield from super().spellable_words(value)
            return
        texts = value if isinstance(value, list | tuple) else [value]
        new = {m.group().lower() for text in texts for m in pattern.finditer(text)} - seen
        if new:
            seen.update(new)
            yield from super().spellable_words(" ".join(sorted(new)))


class SortedDatetime(DATETIME):
    """Stored and sortable (a column) but never searched, so it writes no terms."""

    indexed = False


@contextlib.contextmanager
def spelling_once():
    """Within this block (a rebuild), each spelling word is written once."""
    token = _spelled.set({})
    try:
        yield
    finally:
        _spelled.reset(token)


def _remember_missing_columns() -> None:
    """Whoosh 2.7.4 looks for a field's length column on disk (a stat) for every posting of a
    field that has none (ids, spelling words) while writing a segment; remember the answer."""

    def cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            found = self.has_column(fieldname)
            reader = self._readers[fieldname] = (
                self.column_reader(fieldname, column) if found else None
            )
            return reader

    whoosh3.W3PerDocReader._cached_reader = cached_reader


_remember_missing_columns()
