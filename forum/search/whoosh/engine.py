"""The embedded engine: a Whoosh index in the instance folder (generations.py), kept in step
with the database through its transactional outbox (outbox.py). One searcher stays open and is
reopened only when the index changed.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Connection
from whoosh import index

from forum.changes import Changes
from forum.extensions import db
from forum.search import documents, tasks
from forum.search.alike import Alike
from forum.search.engine import Drift, EngineHit, IndexBusy, Rebuilt
from forum.search.query import MAX_TERMS, ParsedQuery
from forum.search.whoosh import (
    alike,
    checks,
    fields,
    generations,
    highlighting,
    outbox,
    schema,
    searching,
    spelling,
)

log = logging.getLogger(__name__)
# A session's info holds this while its transaction queued outbox rows: applied after commit.
QUEUED = "search_outbox_pending"
# ... or this, when all it queued is usefulness moved by ratings: applied by the worker (a task
# queued after commit), so a rating does not wait for an index write; a search drains first.
RESCORED = "search_outbox_rescored"
# An import of at least this many documents that at least doubles the index rebuilds it.
REBUILD_FROM = 2000
# How long a rebuild waits for another process's write to end, in seconds.
REBUILD_WAITS = 600


class WhooshEngine:
    def __init__(self, path: str | os.PathLike):
        fields.prepare()
        self.path = Path(path)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._index = None
        self._searcher = None

    def _open_index(self):
        generation = generations.current(self.path)
        if self._index is None or generation != self._generation:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._index = index.open_dir(self.path / generation)
            self._generation = generation
        return self._index

    def searcher(self):
        """The long-lived searcher, replaced only when the index or its generation changed.
        Replaced, not refreshed: Whoosh 2.7.4's refresh() keys the readers it means to reuse by
        generation, not by segment, so it reuses none and leaves most old segment files for
        the garbage collector to close; the old searcher is closed here instead."""
        with self._lock:
            ix = self._open_index()
            stale = self._searcher
            if stale is not None and not _up_to_date(stale):
                self._searcher = None
                with contextlib.suppress(Exception):
                    stale.close()
            if self._searcher is None:
                self._searcher = _open_searcher(ix)
            return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self._index = None

    # -- staying in step with the database ------------------------------------------------------
    def noted(self, connection: Connection, changes: Changes, info: dict) -> None:
        if outbox.record(connection, changes, info):
            info[QUEUED if changes.prompts or changes.contributions else RESCORED] = True

    def committed(self, info: dict) -> None:
        rescored = info.pop(RESCORED, False)
        if info.pop(QUEUED, False):
            self._drain_now()
        elif rescored:
            try:
                tasks.drain_outbox.enqueue()
            except Exception:  # noqa: BLE001 - no queue at hand: apply them here instead
                log.exception("search outbox: could not queue the drain; draining now")
                self._drain_now()

    def _drain_now(self) -> None:
        try:
            self._drain(wait=2.0)
        except Exception:  # noqa: BLE001 - the rows stay in the outbox for the next drain
            log.exception("search outbox: drain after commit failed; it will be retried")

    def rolled_back(self, info: dict) -> None:
        info.pop(QUEUED, None)
        info.pop(RESCORED, None)

    def catch_up(self, wait: float) -> int:
        # Before a search (no wait) the request's own session asks first, the cheapest question;
        # a caller that may wait for the writer lock (the worker's task) asks nothing before it
        # has the lock, so no connection is held while it waits.
        if wait > 0:
            return self._drain(wait)
        return self._drain(wait) if outbox.waiting() else 0

    def _drain(self, wait: float) -> int:
        with outbox.writer_lock(self.path, wait) as locked:
            return outbox.drain(self.apply) if locked else 0

    def apply(self, documents: list[dict], removed: list[str]) -> None:
        """Add or replace these documents and remove these keys, in one commit."""
        if not documents and not removed:
            return
        writer = self._open_index().writer(timeout=30.0, compound=False)
        try:
            # Delete the old versions through one searcher, then add: update_document opens a
            # searcher over every segment for each document, which grows with the index.
            keys = [*removed, *(document["key"] for document in documents)]
            with writer.searcher() as searcher:
                words = spelling.change(searcher, keys, documents)
                for key in keys:
                    writer.delete_by_term("key", key, searcher=searcher)
            for document in documents:
                writer.add_document(**schema.document_fields(document))
            # The word list moves with the commit: both happen or neither.
            with self.words().changing(words):
                writer.commit()
        except BaseException:
            _abandon(writer)
            raise

    def rebuild(self, progress: Callable[[int], None] | None = None) -> Rebuilt:
        """A fresh generation from the database, under the writer lock: changes queued before it
        started are in it, changes made meanwhile wait in the outbox and are applied right after
        the swap."""
        started = time.perf_counter()
        with outbox.writer_lock(self.path, wait=REBUILD_WAITS) as locked:
            if not locked:
                raise IndexBusy("another process is writing the search index")
            covered = outbox.queued_ids()
            count = generations.build(
                self.path, documents.all_documents(), progress, keep=self._generation
            )
            outbox.forget(covered)
            outbox.drain(self.apply)
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0
        return Rebuilt(
            count, seconds, f"Indexed {count} documents in {seconds:.1f} s ({rate:.0f} per second)."
        )

    def after_bulk_load(self, new_documents: int, progress: Callable[[int], None] | None) -> str:
        """A small import is applied from the outbox like any other change; one that at least
        doubles the index rebuilds it (written in parallel, its memory bounded by the writer's
        pool whatever the size of the dump), dropping the queued rows the rebuild covers."""
        if new_documents >= REBUILD_FROM and 2 * new_documents >= documents.searchable_count():
            db.session.commit()  # end the caller's read, so the rebuild sees everything committed
            try:
                rebuilt = self.rebuild(progress)
            except IndexBusy:
                return "left queued: another process is writing the index"
            return f"index rebuilt with {rebuilt.documents} documents"
        applied = self._drain(wait=60.0)
        return f"{applied} prompts indexed with their contributions"

    def check(self) -> Drift:
        return checks.drift(self)

    # -- reading ----------------------------------------------------------------------------
    def search(self, parsed: ParsedQuery, limit: int) -> list[EngineHit]:
        """The best `limit` hits, words put side by side matching softly (searching.py)."""
        return searching.find(self.searcher(), parsed, limit)

    def snippets(self, parsed: ParsedQuery, hits: list[EngineHit]) -> dict[str, str]:
        searcher = self.searcher()
        words = parsed.words()[:MAX_TERMS]
        analyzer = searcher.schema["body"].analyzer
        terms = {t.text for w in words for t in analyzer(w)}
        snippets = {}
        for hit in hits:
            text = hit.text
            if not text:
                docnum = searcher.document_number(key=hit.key)
                stored = searcher.stored_fields(docnum) if docnum is not None else {}
                text = stored.get("body", "")
            fragment = ""
            if terms and text:
                fragment = highlighting.highlight(text, terms, analyzer)
            snippets[hit.key] = fragment or html.escape(text[:220])
        return snippets

    def suggest(self, words: list[str]) -> dict[str, str]:
        """Better spellings, only ever words that visible text holds (spelling.py)."""
        searcher = self.searcher()
        return spelling.suggest(searcher, self.words(), words)

    def close_words(self, word: str) -> list[str]:
        """The words a suggestion for `word` considers, the closest first."""
        return self.words().close(word)

    def frequencies(self, words: list[str]) -> tuple[dict[str, float], int]:
        from forum.search.whoosh.queries import frequencies

        return frequencies(self.searcher())(words)

    def words(self) -> spelling.WordList:
        """The word list of the live generation (spelling.py)."""
        return spelling.WordList(self.path / generations.current(self.path))

    def similar_to_text(
        self, title: str, intro: str, limit: int, exclude: int | None = None
    ) -> list[Alike]:
        """Prompts alike this title and intro, best first, with their similarity (alike.py)."""
        return alike.similar_to_text(self.searcher(), title, intro, limit, exclude)

    def stored_state(self) -> dict[str, float]:
        searcher = self.searcher()
        return {
            fields["key"]: fields.get("usefulness", 0.0) for fields in searcher.all_stored_fields()
        }

    def healthy(self) -> bool:
        try:
            self.searcher()
            return True
        except Exception:  # noqa: BLE001 - any failure to open means unhealthy
            return False


def _up_to_date(searcher) -> bool:
    try:
        return searcher.up_to_date()
    except Exception:  # noqa: BLE001 - a searcher that cannot tell is replaced
        log.warning("search: the searcher could not be checked; opening a new one")
        return False


def _open_searcher(ix, attempts: int = 3):
    """A new searcher; a merge in another process can delete a segment between reading the
    table of contents and opening its files, so a failed open is tried again."""
    for attempt in range(attempts):
        try:
            return ix.searcher()
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01)


def _abandon(writer) -> None:
    """Give up a write that failed, even half-way through its commit: close its files and
    always release the index lock, or every later write and search would wait on it."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001, S110 - the lock below is what matters
        pass
    finally:
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            with contextlib.suppress(Exception):
                lock.release()
