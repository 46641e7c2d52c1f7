"""The PostgreSQL engine: full-text search over tsvector columns the database keeps itself.

Triggers keep the vectors in the writing transaction (schema.py), so there is nothing to queue
or drain: the change stream's news needs nothing from it, rebuild() recomputes the vectors, and
check() names the rows whose vector differs from a fresh one (only writes around the triggers
can). Usefulness,
topic, tags and authors are read live, so a rating needs nothing from the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC

from sqlalchemy import delete, text
from sqlalchemy.engine import Connection

from forum.changes import Changes
from forum.extensions import db
from forum.models import SearchOutbox
from forum.ranking import UNRATED_SCORE
from forum.search import documents
from forum.search.alike import Alike
from forum.search.bounds import bounded, narrowed
from forum.search.engine import Current, Drift, EngineHit, Rebuilt
from forum.search.postgres import checks, lookups, schema, similar, snippets, soft, spelling
from forum.search.postgres import query as pq
from forum.search.query import ParsedQuery


class PostgresEngine:
    # -- staying in step: the database does it -------------------------------------------------
    def noted(self, connection: Connection, changes: Changes, info: dict) -> None:
        """Nothing to record: the triggers changed the vectors with the rows."""

    def committed(self, info: dict) -> None:
        """Nothing to apply after commit."""

    def rolled_back(self, info: dict) -> None:
        """Nothing to forget: the vectors rolled back with the rows."""

    def catch_up(self, wait: float) -> int:
        """Nothing ever waits."""
        return 0

    def after_bulk_load(self, new_documents: int, progress: Callable[[int], None] | None) -> str:
        """The vectors are kept by the database; the planner's statistics of them are read now
        (ANALYZE) rather than whenever autovacuum comes to the tables: soft matching weighs
        and chooses the words of a query by them (lookups.frequencies)."""
        _analyze()
        lookups.forget_statistics()
        return "kept up to date by the database (statistics read)"

    def rebuild(self, progress: Callable[[int], None] | None = None) -> Rebuilt:
        """Recompute every vector and the word list from the rows, in one transaction: searches
        see the old vectors until it commits."""
        started = time.perf_counter()
        count = 0
        for statement in schema.BACKFILL:
            result = db.session.execute(text(statement))
            if statement.startswith(("UPDATE", "INSERT")):
                count += result.rowcount
                if progress is not None:
                    progress(result.rowcount)
        # What an engine with an outbox left queued is void: every vector is fresh now.
        db.session.execute(delete(SearchOutbox))
        db.session.commit()
        _analyze()
        seconds = time.perf_counter() - started
        return Rebuilt(
            count,
            seconds,
            f"Recomputed the search vectors of {count} prompts and contributions in"
            f" {seconds:.1f} s (PostgreSQL keeps them current on every write).",
        )

    # -- reading ----------------------------------------------------------------------------
    def search(self, parsed: ParsedQuery, limit: int) -> list[EngineHit]:
        # At most MAX_TERMS words are read, whatever reached the engine, and a wide OR keeps
        # its rarest branches (bounds.py).
        text = narrowed(bounded(parsed.text), lookups.frequencies)
        query = pq.tsquery(text) if text is not None else None
        # Words put side by side match softly (soft.py).
        rows = soft.rows(parsed, text, query, limit)
        return [
            EngineHit(
                key=documents.key(kind, item_id),
                type=kind,
                id=item_id,
                prompt_id=prompt_id,
                score=float(score) if query is not None else 1.0,
                matched=matched,
                topic=topic,
                topic_name=topic_name,
                # A contribution carries its own tags and its prompt's.
                tags=sorted({*(prompt_tags or ()), *(own_tags or ())}),
                author=author or "",
                created=_aware(created),
                current=Current(
                    title,
                    slug,
                    _aware(created),
                    _usefulness(kind, usefulness, top_scores),
                    ratings,
                    featured,
                    tried,
                    worked,
                    success,
                ),
            )
            for (
                kind,
                item_id,
                prompt_id,
                score,
                topic,
                topic_name,
                author,
                created,
                title,
                slug,
                usefulness,
                ratings,
                featured,
                prompt_tags,
                own_tags,
                tried,
                worked,
                success,
                top_scores,
                matched,
            ) in rows  # fmt: skip
        ]

    def snippets(self, parsed: ParsedQuery, hits: list[EngineHit]) -> dict[str, str]:
        return snippets.highlighted(parsed, hits)

    def suggest(self, words: list[str]) -> dict[str, str]:
        return spelling.suggest(words)

    def close_words(self, word: str) -> list[str]:
        """The words of the word list a suggestion for `word` considers, the closest first."""
        return spelling.close_words(word)

    def frequencies(self, words: list[str]) -> tuple[dict[str, float], int]:
        return lookups.frequencies(words)

    def similar_to_text(
        self, title: str, intro: str, limit: int, exclude: int | None = None
    ) -> list[Alike]:
        return similar.similar_to_text(title, intro, limit, exclude)

    def stored_state(self) -> dict[str, float]:
        """Every key that has a vector, with the usefulness the service reads for it now (the
        vectors are the engine's only stored state; usefulness is always read live)."""
        have = {documents.key("prompt", i) for i in db.session.scalars(
            text("SELECT id FROM prompts WHERE search_vector IS NOT NULL"))} | {
            documents.key("contribution", i) for i in db.session.scalars(
                text("SELECT contribution_id FROM contribution_search"))}  # fmt: skip
        return {key: u for key, u in documents.expected_state() if key in have}

    def check(self) -> Drift:
        return checks.drift()

    def healthy(self) -> bool:
        try:
            db.session.execute(text("SELECT search_vector FROM contribution_search LIMIT 0"))
            return True
        except Exception:  # noqa: BLE001 - any failure to read means unhealthy
            db.session.rollback()
            return False

    def close(self) -> None:
        """Nothing held open: the database's pool serves every query."""


def _usefulness(kind: str, score: float | None, top_scores: list[float] | None) -> float:
    """A contribution's score; a prompt's, the mean of its best contributions' (as
    documents.prompt_usefulness reads it)."""
    if kind == "contribution":
        return score
    return sum(top_scores) / len(top_scores) if top_scores else UNRATED_SCORE


def _aware(created):
    return created.replace(tzinfo=UTC) if created and not created.tzinfo else created


def _analyze() -> None:
    """The planner's statistics of the search tables, read afresh."""
    for table in ("contribution_search", "prompts"):
        db.session.execute(text(f"ANALYZE {table}"))  # noqa: S608  (names of our own tables)
    db.session.commit()
