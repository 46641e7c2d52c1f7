"""A worker's long-lived searcher that another process's write left unusable is replaced, not
kept: one failed refresh must not turn every later search of that worker into an error."""

from __future__ import annotations

from whoosh.searching import Searcher

from forum.search.query import parse
from forum.search.whoosh_engine import WhooshEngine


def _document(n: int, body: str) -> dict:
    return {"key": f"c:{n}", "type": "contribution", "id": n, "prompt_id": 1, "title": "",
            "body": body, "topic": "t", "tags": [], "author": "", "usefulness": 0.5,
            "ratings": 0, "featured": False, "created": None}  # fmt: skip


def test_a_searcher_whose_refresh_failed_is_opened_afresh(tmp_path, monkeypatch):
    worker, other_worker = WhooshEngine(tmp_path), WhooshEngine(tmp_path)
    worker.apply([_document(1, "trust grows")], [])
    assert len(worker.search(parse("trust"), 10)) == 1
    other_worker.apply([_document(2, "trust again")], [])

    def refresh_interrupted(self):
        # What a refresh racing a merge in another process leaves: the old readers closed.
        self.ixreader.close()
        raise FileNotFoundError("segment merged away")

    with monkeypatch.context() as patch:
        patch.setattr(Searcher, "refresh", refresh_interrupted)
        assert len(worker.search(parse("trust"), 10)) == 2
    other_worker.apply([_document(3, "trust, third")], [])
    assert len(worker.search(parse("trust"), 10)) == 3
    assert worker.snippets(parse("trust"), worker.search(parse("trust"), 1))
