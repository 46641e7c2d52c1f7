"""Whoosh field types of this project's indexes, and two things Whoosh 2.7.4 needs told once per
process (`prepare`, called by the engine when it is made)."""

from __future__ import annotations

import sys

from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, TEXT

# An index pickles its schema, naming these classes by module; indexes written before the engine
# had a package of its own name this module so.
FORMER_MODULE = "forum.search.whoosh_fields"


class SpelledText(TEXT):
    """The text fields of indexes written before suggestions came from the word list
    (spelling.py): the schema pickled in those indexes names this class, so it stays here for
    them to open (and to search until `search reindex` writes a new one)."""


class SortedDatetime(DATETIME):
    """Stored and sortable (a column) but never searched, so it writes no terms."""

    indexed = False


def prepare() -> None:
    """Let indexes written under the former module name open, and make bulk writing cheaper."""
    sys.modules.setdefault(FORMER_MODULE, sys.modules[__name__])
    if whoosh3.W3PerDocReader._cached_reader is not _cached_reader:
        whoosh3.W3PerDocReader._cached_reader = _cached_reader


def _cached_reader(self, fieldname, column):
    """Whoosh 2.7.4 looks for a field's length column on disk (a stat) for every posting of a
    field that has none (ids, spelling words) while writing a segment; this remembers the
    answer."""
    try:
        return self._readers[fieldname]
    except KeyError:
        found = self.has_column(fieldname)
        reader = self._readers[fieldname] = self.column_reader(fieldname, column) if found else None
        return reader
