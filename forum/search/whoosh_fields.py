"""Whoosh field types and a fix that make bulk indexing cheaper (see whoosh_engine.rebuild)."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, TEXT

# The unstemmed words already written for "did you mean" during a rebuild (None outside one).
_spelled: ContextVar[set | None] = ContextVar("spelled", default=None)


class SpelledText(TEXT):
    """TEXT whose unstemmed spelling words are written once per rebuild, not once per document:
    the corrector only needs the list of words (Whoosh ranks suggestions without their counts)."""

    def spellable_words(self, value):
        seen = _spelled.get()
        for word in super().spellable_words(value):
            if seen is None:
                yield word
            elif word not in seen:
                seen.add(word)
                yield word


class SortedDatetime(DATETIME):
    """Stored and sortable (a column) but never searched, so it writes no terms."""

    indexed = False


@contextlib.contextmanager
def spelling_once():
    """Within this block (a rebuild), each spelling word is written once."""
    token = _spelled.set(set())
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
