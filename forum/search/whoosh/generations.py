"""Where the live Whoosh index is: the engine's folder holds generations (g1, g2, ...) and a
CURRENT file naming the live one, so a rebuild fills a fresh generation while searches keep
answering from the old, then swaps atomically."""

from __future__ import annotations

import itertools
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index

from forum.search.whoosh import bulk, parallel, schema, spelling

# Builds of at least this many documents use PROCESSES writer processes.
PARALLEL_FROM = 2000
PROCESSES = min(2, os.cpu_count() or 1)
# Each writer's pool of postings, in MB, before it spills to a run file.
LIMIT_MB = 128


def _words(ix) -> bulk.Words:
    """The word list's words, read as the writers analyse the text when they are the same."""
    if spelling.read_in_analysis(ix.schema):
        return bulk.Words(spelled=spelling.SPELLED)
    return bulk.Words(forms=spelling.forms)


def _write_serial(ix, documents: Iterable[dict], progress) -> tuple[int, Counter]:
    """These documents in one segment, written in this process; how many, and the word list's
    counts."""
    words = _words(ix)
    writer = bulk.BulkWriter(ix, limitmb=LIMIT_MB, compound=False, spelled=words.spelled)
    count = 0
    try:
        for document in documents:
            writer.add_document(**document)
            words.count(writer, document)
            count += 1
            if progress and count % 500 == 0:
                progress(500)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    if progress:
        progress(count % 500)
    return count, writer.words


def current(path: Path) -> str:
    """The live generation, made (empty) when there is none yet."""
    try:
        return (path / "CURRENT").read_text().strip()
    except FileNotFoundError:
        path.mkdir(parents=True, exist_ok=True)
        generation = "g1"
        (path / generation).mkdir(exist_ok=True)
        if not index.exists_in(path / generation):
            index.create_in(path / generation, schema.make_schema())
            spelling.WordList(path / generation).create()
        _point_at(path, generation)
        return generation


def _point_at(path: Path, generation: str) -> None:
    temporary = path / f"CURRENT.{os.getpid()}.tmp"
    temporary.write_text(generation)
    os.replace(temporary, path / "CURRENT")


def build(
    path: Path,
    documents: Iterable[dict],
    progress: Callable[[int], None] | None,
    keep: str | None,
) -> int:
    """Fill a new generation with these documents and its word list, then point CURRENT at it;
    searches never see a half index. Keeps the generation live until now (other workers read it
    until they notice the swap) and `keep` (one this process still has open); older ones go.
    Returns how many documents were written."""
    previous = current(path)
    number = 1 + max((int(p.name[1:]) for p in path.glob("g*") if p.name[1:].isdigit()), default=0)
    generation = f"g{number}"
    target = path / generation
    target.mkdir()
    ix = index.create_in(target, schema.make_schema())
    try:
        documents = map(schema.document_fields, documents)
        first = list(itertools.islice(documents, PARALLEL_FROM))
        # Big builds are shared between processes, one segment each.
        if PROCESSES > 1 and len(first) == PARALLEL_FROM:
            count, words = parallel.write_parallel(
                ix, itertools.chain(first, documents), PROCESSES, LIMIT_MB, _words(ix), progress
            )
        else:
            count, words = _write_serial(ix, itertools.chain(first, documents), progress)
        spelling.WordList(target).create(words)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    _point_at(path, generation)
    for folder in path.glob("g*"):
        if folder.is_dir() and folder.name not in {generation, previous, keep}:
            shutil.rmtree(folder, ignore_errors=True)
    return count
