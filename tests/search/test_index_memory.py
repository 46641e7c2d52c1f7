"""A worker's searcher reads the Whoosh index from its files, not from a copy in memory.

Whoosh opens a compound segment (one .seg file) by copying every part of it into a BytesIO, so
each worker held the whole index in private memory (about 50 MB per worker at 12,000 documents,
twice the 150 MB budget at 100,000). Segments written as plain files are read where they lie."""

from __future__ import annotations

import pytest

from forum.search import get_engine, maintenance
from tests.factories import make_contribution

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.whoosh_only]


def _segment_files(engine):
    return sorted(p.name for p in engine.path.rglob("*.seg"))


def test_rebuilt_and_updated_indexes_keep_no_compound_segment():
    make_contribution(body="Trust grows from kept promises.")
    engine = get_engine()
    maintenance.reindex()
    make_contribution(body="Listening builds trust too.")
    make_contribution(body="So does honesty.")

    assert engine.stored_state()  # the index holds the documents...
    assert _segment_files(engine) == []  # ...in plain files, never one .seg to copy
