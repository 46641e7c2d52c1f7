"""A rebuild writes through bulk.BulkWriter (its own posting pool) and, past PARALLEL_FROM
documents, from writer processes: the segment must be the one Whoosh's own writer writes, and a
parallel rebuild must hold what a serial one holds."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest
from whoosh import index

from forum.search import documents as documents_module
from forum.search import get_engine, maintenance
from forum.search.whoosh import bulk, generations, parallel, schema
from tests.factories import make_contribution

WORDS = [
    "trust", "listening", "promises", "kept", "clients", "coaching", "questions", "answers",
    "honest", "running", "shoes", "marathon", "training", "recovery", "sleep", "food", "water",
]  # fmt: skip


def documents(count: int) -> list[dict]:
    made = []
    for n in range(count):
        body = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 30 + n % 7))
        made.append(schema.document_fields({
            "key": f"c:{n}", "type": "contribution", "id": n, "prompt_id": n // 3,
            "title": "" if n % 3 else f"Prompt {n} about {WORDS[n % len(WORDS)]}",
            "context": f"{WORDS[(n + 3) % len(WORDS)]} point", "body": f"{body} {n}",
            "topic": "life", "tags": ["trust", f"t{n % 4}"], "author": f"user{n % 5}",
            "usefulness": n / count, "ratings": n % 3, "featured": n % 2 == 0,
            "created": datetime(2024, 1, 1 + n % 28, tzinfo=UTC),
        }))  # fmt: skip
    return made


def segment_files(folder) -> dict[str, bytes]:
    """The segment's files by what follows the segment's random name (not the TOC)."""
    found = {}
    for path in folder.iterdir():
        if path.name.startswith("MAIN_") and "." in path.name and not path.name.endswith(".toc"):
            found[path.name.split(".", 1)[1]] = path.read_bytes()
    return found


@pytest.mark.parametrize("pool_bytes", [None, 2000])
def test_the_bulk_writer_writes_the_segment_whooshs_writer_writes(tmp_path, pool_bytes):
    written = documents(120)
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    reference = index.create_in(theirs, schema.make_schema()).writer(compound=False)
    writer = bulk.BulkWriter(index.create_in(ours, schema.make_schema()), compound=False)
    if pool_bytes:
        writer.pool.limit = pool_bytes  # spills runs every few documents
    for document in written:
        reference.add_document(**document)
        writer.add_document(**document)
    reference.commit()
    writer.commit()

    assert segment_files(ours) == segment_files(theirs)
    assert len(segment_files(ours)) > 5


@pytest.mark.whoosh_only
def test_a_parallel_rebuild_holds_what_a_serial_one_holds(app, monkeypatch):
    for n in range(12):
        make_contribution(body=f"Trust grows from kept promises, number {n}. #listening")
    engine = get_engine()
    maintenance.reindex()
    serial = (engine.stored_state(), engine.words().counts())

    monkeypatch.setattr(generations, "PARALLEL_FROM", 3)
    monkeypatch.setattr(generations, "PROCESSES", 2)
    monkeypatch.setattr(parallel, "BATCH", 2)
    maintenance.reindex()

    # At most one segment a writer process (a writer started late on a busy machine may find
    # the few batches taken, and write none).
    assert 1 <= len(engine.searcher().reader().leaf_readers()) <= 2
    assert (engine.stored_state(), engine.words().counts()) == serial


@pytest.mark.whoosh_only
def test_a_parallel_rebuild_that_fails_leaves_the_live_index_and_no_writer_behind(app, monkeypatch):
    for n in range(12):
        make_contribution(body=f"Trust grows from kept promises, number {n}.")
    engine = get_engine()
    maintenance.reindex()
    before = engine.stored_state()
    every_document = documents_module.all_documents

    def broken():
        yield from list(every_document())[:8]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(generations, "PARALLEL_FROM", 3)
    monkeypatch.setattr(generations, "PROCESSES", 2)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(documents_module, "all_documents", broken)
    with pytest.raises(RuntimeError, match="went away"):
        engine.rebuild()

    assert multiprocessing.active_children() == []
    assert engine.stored_state() == before
