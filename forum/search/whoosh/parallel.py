"""A fresh index written from several processes (generations.build, past PARALLEL_FROM
documents): each writes a segment of its own through bulk.BulkWriter, as Whoosh's MpWriter does
with multisegment=True, and counts the word list's forms; the parent reads the documents, sends
them BATCH to a pickle, and commits the segments."""

from __future__ import annotations

import multiprocessing
import pickle
import queue
from collections import Counter
from collections.abc import Callable, Iterable

from whoosh.writing import SegmentWriter

from forum.search.whoosh.bulk import BulkWriter, Words

# Documents handed to a writer process at a time.
BATCH = 250


def write_parallel(
    ix,
    documents: Iterable[dict],
    procs: int,
    limitmb: int,
    words: Words,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, Counter]:
    """Write these documents into `ix` (a fresh index) from `procs` writer processes, one segment
    each, and commit; returns how many documents there were and the word list's counts, counted
    in the writers."""
    writer = SegmentWriter(ix, compound=False)  # holds the index lock; writes no segment itself
    jobs = multiprocessing.Queue(procs * 2)
    results = multiprocessing.Queue()
    tasks = [
        multiprocessing.Process(
            target=_write_segment,
            args=(ix.storage, ix.indexname, jobs, results, limitmb, words),
            daemon=True,
        )
        for _ in range(procs)
    ]
    count = 0
    try:
        for task in tasks:
            task.start()
        batch: list[dict] = []
        for document in documents:
            batch.append(document)
            count += 1
            if len(batch) == BATCH:
                _put(jobs, tasks, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
                batch = []
                if progress:
                    progress(BATCH)
        if batch:
            _put(jobs, tasks, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
            if progress:
                progress(len(batch))
        for _ in tasks:
            _put(jobs, tasks, None)
        segments, counted = [], Counter()
        for _ in tasks:
            outcome = _get(results, tasks)
            if isinstance(outcome, BaseException):
                raise outcome
            segment, counts = outcome
            if segment is not None:
                segments.append(segment)
            counted.update(counts)
        for task in tasks:
            task.join()
    except BaseException:
        for task in tasks:
            if task.is_alive():
                task.terminate()
        for task in tasks:
            if task.pid is not None:
                task.join()
        writer.cancel()
        raise
    writer._close_segment()
    writer._commit_toc(writer.segments + segments)
    writer._finish()
    return count, counted


def _put(jobs, tasks, item) -> None:
    while True:
        try:
            jobs.put(item, timeout=1.0)
            return
        except queue.Full:
            if not all(task.is_alive() for task in tasks):
                raise RuntimeError("a search index writer process died") from None


def _get(results, tasks):
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            if not all(task.is_alive() or task.exitcode == 0 for task in tasks):
                raise RuntimeError("a search index writer process died") from None


def _write_segment(storage, indexname, jobs, results, limitmb, words: Words) -> None:
    """A writer process: documents from `jobs` into a segment of its own; puts (the segment or
    None, the words' counts) on `results`, or the exception that stopped it."""
    try:
        ix = storage.open_index(indexname)
        writer = BulkWriter(ix, _lk=False, limitmb=limitmb, compound=False, spelled=words.spelled)
        try:
            while (batch := jobs.get()) is not None:
                for document in pickle.loads(batch):  # noqa: S301 - from the parent process
                    writer.add_document(**document)
                    words.count(writer, document)
            # Not writer._finish(): every writer of the index shares its temporary folder, which
            # the parent's writer removes at the end.
            if writer._added:
                segment = writer._finalize_segment()
            else:
                writer._close_segment()
                segment = None
        except BaseException:
            writer._close_segment()
            raise
        results.put((segment, writer.words))
    except BaseException as error:  # noqa: BLE001 - the parent raises it
        results.put(error)
