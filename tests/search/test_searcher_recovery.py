"""A worker's long-lived searcher follows other workers' writes: it sees them, lets go of the
files of segments merged away, and survives an open that races a merge."""

from __future__ import annotations

import contextlib
import gc
import os

from whoosh.index import FileIndex

from forum.search.query import parse
from forum.search.whoosh.engine import WhooshEngine


def _document(n: int, body: str) -> dict:
    return {"key": f"c:{n}", "type": "contribution", "id": n, "prompt_id": 1, "title": "",
            "body": body, "topic": "t", "tags": [], "author": "", "usefulness": 0.5,
            "ratings": 0, "featured": False, "created": None}  # fmt: skip


def _open_index_files(folder) -> list[str]:
    gc.collect()
    paths = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(FileNotFoundError):  # the listing's own descriptor
            paths.append(os.readlink(f"/proc/self/fd/{fd}"))
    return [path for path in paths if path.startswith(str(folder))]


def test_a_searcher_follows_other_writes_and_lets_merged_segments_go(tmp_path):
    worker, other_worker = WhooshEngine(tmp_path), WhooshEngine(tmp_path)
    try:
        worker.apply([_document(0, "trust grows")], [])
        for n in range(1, 60):
            other_worker.apply([_document(n, f"trust, written {n} times")], [])
            assert len(worker.search(parse("trust"), 100)) == n + 1
            # Segments merged away are deleted; a searcher still holding them would keep
            # their disk space and file handles for as long as the worker lives.
            held = _open_index_files(tmp_path)
            assert held and not [path for path in held if path.endswith("(deleted)")]
    finally:
        worker.close()
        other_worker.close()


def test_an_open_that_races_a_merge_is_tried_again(tmp_path, monkeypatch):
    worker = WhooshEngine(tmp_path)
    worker.apply([_document(1, "trust grows")], [])
    opened = FileIndex.searcher
    failures = []

    def racing_open(self, **kwargs):
        if not failures:
            failures.append("segment merged away")
            raise FileNotFoundError(failures[0])
        return opened(self, **kwargs)

    monkeypatch.setattr(FileIndex, "searcher", racing_open)
    try:
        assert len(worker.search(parse("trust"), 10)) == 1
        assert failures == ["segment merged away"]
    finally:
        worker.close()
