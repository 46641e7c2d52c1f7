"""The embedded engine: a Whoosh index in the instance folder.

The folder holds generations (g1, g2, ...) and a CURRENT file naming the live one, so a rebuild
fills a fresh generation while searches keep answering from the old, then swaps atomically.
One searcher stays open and is reopened only when the index changed.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC
from pathlib import Path

from whoosh import index
from whoosh import query as wq

from forum.search import highlighting
from forum.search import whoosh_queries as queries
from forum.search import whoosh_schema as schema
from forum.search import whoosh_spelling as spelling
from forum.search.backend import EngineHit
from forum.search.query import MAX_TERMS, ParsedQuery

log = logging.getLogger(__name__)
# Rebuilds of at least this many documents use PROCESSES writer processes.
PARALLEL_FROM = 2000
PROCESSES = min(2, os.cpu_count() or 1)


class WhooshEngine:
    name = "whoosh"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._index = None
        self._searcher = None

    # -- where the live index is ------------------------------------------------------------
    def _current_generation(self) -> str:
        marker = self.path / "CURRENT"
        try:
            return marker.read_text().strip()
        except FileNotFoundError:
            self.path.mkdir(parents=True, exist_ok=True)
            generation = "g1"
            (self.path / generation).mkdir(exist_ok=True)
            if not index.exists_in(self.path / generation):
                index.create_in(self.path / generation, schema.make_schema())
                spelling.WordList(self.path / generation).create()
            self._write_marker(generation)
            return generation

    def _write_marker(self, generation: str) -> None:
        temporary = self.path / f"CURRENT.{os.getpid()}.tmp"
        temporary.write_text(generation)
        os.replace(temporary, self.path / "CURRENT")

    def _open_index(self):
        generation = self._current_generation()
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

    # -- writing ----------------------------------------------------------------------------
    def apply(self, documents: list[dict], removed: list[str]) -> None:
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

    def rebuild(self, documents: Iterable[dict], progress: Callable[[int], None] | None = None):
        """Fill a new generation, then point CURRENT at it; searches never see a half index."""
        self._current_generation()
        number = 1 + max(
            (int(p.name[1:]) for p in self.path.glob("g*") if p.name[1:].isdigit()), default=0
        )
        generation = f"g{number}"
        target = self.path / generation
        target.mkdir()
        ix = index.create_in(target, schema.make_schema())
        count, writer, words = 0, None, Counter()
        try:
            documents = iter(documents)
            first = list(itertools.islice(documents, PARALLEL_FROM))
            # Big rebuilds are shared between processes, one segment each.
            parallel = PROCESSES > 1 and len(first) == PARALLEL_FROM
            writer = (
                ix.writer(procs=PROCESSES, multisegment=True, limitmb=128, compound=False)
                if parallel
                else ix.writer(limitmb=128, compound=False)
            )
            for document in itertools.chain(first, documents):
                writer.add_document(**schema.document_fields(document))
                words.update(spelling.forms(document))
                count += 1
                if progress and count % 500 == 0:
                    progress(500)
        except BaseException:
            if writer is not None:
                writer.cancel()
            shutil.rmtree(target, ignore_errors=True)
            raise
        writer.commit()
        spelling.WordList(target).create(words)
        if progress:
            progress(count % 500)
        # Keep what was live until now (other workers read it until they notice the swap) and
        # what this engine still has open; anything older goes.
        previous = self._current_generation()
        self._write_marker(generation)
        self._remove_old_generations(keep={generation, previous, self._generation})
        return count

    def _remove_old_generations(self, keep: set[str]) -> None:
        for folder in self.path.glob("g*"):
            if folder.is_dir() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)

    # -- reading ----------------------------------------------------------------------------
    def build_query(self, parsed: ParsedQuery):
        """The Whoosh query for a parsed reader's query (text, filters and exclusions)."""
        searcher = self.searcher()
        return queries.build_query(searcher.schema, parsed, queries.frequencies(searcher))

    def search(self, parsed: ParsedQuery, limit: int) -> list[EngineHit]:
        searcher = self.searcher()
        # Filters restrict the hits without adding to their scores. (Scored inside an And, they
        # added a constant to every score, and Whoosh's top-N skipping then lost some hits.)
        text, allow, deny = queries.query_parts(
            searcher.schema, parsed, queries.frequencies(searcher)
        )
        if text is None:
            results = searcher.search(
                allow or wq.Every(), limit=limit, sortedby="created", reverse=True, mask=deny
            )
        else:
            results = searcher.search(text, limit=limit, filter=allow, mask=deny)
        hits = []
        for hit in results:
            stored = hit.fields()
            created = stored.get("created")
            hits.append(
                EngineHit(
                    key=stored["key"],
                    type=stored["type"],
                    id=stored["id"],
                    prompt_id=stored["prompt_id"],
                    score=float(hit.score or 1.0) if parsed.text is not None else 1.0,
                    topic=stored.get("topic", ""),
                    tags=[t for t in (stored.get("tags") or "").split(",") if t],
                    author=stored.get("author", ""),
                    created=created.replace(tzinfo=UTC) if created else None,
                    text=stored.get("body", ""),
                )
            )
        return hits

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
        """Better spellings, only ever words that visible text holds (whoosh_spelling.py)."""
        searcher = self.searcher()
        return spelling.suggest(searcher, self.words(), words)

    def close_words(self, word: str) -> list[str]:
        """The words a suggestion for `word` considers, the closest first."""
        return self.words().close(word)

    def words(self) -> spelling.WordList:
        """The word list of the live generation (whoosh_spelling.py)."""
        return spelling.WordList(self.path / self._current_generation())

    def word_forms(self, document: dict) -> set[str]:
        """The words of a search document the word list counts."""
        return spelling.forms(document)

    def similar_prompts(self, prompt_id: int, limit: int) -> list[int]:
        searcher = self.searcher()
        docnum = searcher.document_number(key=f"p:{prompt_id}")
        if docnum is None:
            return []
        results = searcher.more_like(
            docnum, "body", top=limit, numterms=12, filter=wq.Term("type", "prompt")
        )
        return [hit["id"] for hit in results if hit["id"] != prompt_id][:limit]

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
