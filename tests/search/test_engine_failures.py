"""A failure while writing the index never leaves it locked for the writes and searches after."""

from __future__ import annotations

import pytest
from whoosh.writing import SegmentWriter

from forum.search import get_engine
from forum.services import search
from tests.factories import make_contribution

pytestmark = pytest.mark.whoosh_only


def _document(key: str, body: str) -> dict:
    return {"key": key, "type": "prompt", "id": 99, "prompt_id": 99, "title": body, "body": body,
            "topic": "t", "tags": [], "author": "", "usefulness": 0.5, "ratings": 0,
            "featured": False, "created": None}  # fmt: skip


def test_a_commit_that_fails_releases_the_index_lock(app, monkeypatch):
    engine = get_engine()
    failed_writers = []  # kept alive, as a traceback would keep them

    def broken_commit(self, *args, **kwargs):
        failed_writers.append(self)
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(SegmentWriter, "commit", broken_commit)
        with pytest.raises(OSError, match="disk full"):
            engine.apply([_document("p:99", "first try")], [])

    engine.apply([_document("p:99", "second try")], [])  # would wait 30 s on a stuck lock
    assert "p:99" in engine.stored_state()


def test_search_still_answers_when_the_outbox_cannot_be_applied(app, monkeypatch):
    make_contribution(body="Ask powerful questions about trust.")

    def failing_drain(*args, **kwargs):
        raise OSError("index unavailable")

    monkeypatch.setattr("forum.search.whoosh.outbox.pending", lambda *a, **k: 1)
    monkeypatch.setattr("forum.search.whoosh.outbox.drain", failing_drain)
    page = search.search("trust")
    assert page.total >= 1
