"""Whoosh field types and a fix that make bulk indexing cheaper (see WhooshEngine.rebuild)."""

from __future__ import annotations

from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, TEXT


class SpelledText(TEXT):
    """The text fields of indexes written before suggestions came from the word list
    (whoosh_spelling.py): the schema pickled in those indexes names this class, so it stays
    here for them to open (and to search until `search reindex` writes a new one)."""


class SortedDatetime(DATETIME):
    """Stored and sortable (a column) but never searched, so it writes no terms."""

    indexed = False


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
