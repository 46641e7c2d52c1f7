"""Related reading under a prompt: prompts whose text is most alike (from the search engine),
then, to fill the list, prompts sharing tags and prompts of the same topic, by helpfulness.

Asking the engine for similar texts costs more than the rest of a prompt's page (11 of 26 ms on
PostgreSQL at 100,000 contributions, 25 ms with Whoosh), so the list found is kept in the
database (`related_reading`), shared by every worker and app server, and found again when it
is due: when the prompt was edited since, when a prompt it lists is gone, and otherwise after
`RELATED_REFRESH_SECONDS` (a day), so that newer prompts get their turn. Keeping it is a side
write of a page view: in its own short transaction, never waiting on a busy database, and a
failure to keep it costs only the next reader the search again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.models import Prompt, RelatedReading, Topic
from forum.models.prompt import prompt_tags
from forum.models.types import utcnow
from forum.services.similar import similar_prompts

log = logging.getLogger(__name__)

# How many prompts a list holds: what a prompt's page and the API show.
LIMIT = 5
# How long keeping a list may wait for SQLite's write lock before giving up, in milliseconds.
KEEP_WAIT_MS = 50


class Heading(NamedTuple):
    """What a link to a prompt shows: its title and its topic's name."""

    id: int
    slug: str
    title: str
    topic_name: str


def related_prompts(prompt: Prompt, limit: int = LIMIT) -> list[Prompt]:
    """At most `limit` other prompts worth reading next, whole (for the API)."""

    def whole(ids: list[int]) -> dict[int, Prompt]:
        return {p.id: p for p in db.session.scalars(select(Prompt).where(Prompt.id.in_(ids)))}

    return _listed(prompt, limit, whole)


def related_headings(prompt: Prompt, limit: int = LIMIT) -> list[Heading]:
    """The same prompts as `related_prompts`, as the links under a prompt's page show them: one
    narrow query, not each prompt with its key points, tags, author and source."""

    def headings(ids: list[int]) -> dict[int, Heading]:
        rows = db.session.execute(
            select(Prompt.id, Prompt.slug, Prompt.title, Topic.name)
            .join(Topic, Topic.id == Prompt.topic_id)
            .where(Prompt.id.in_(ids))
        )
        return {row.id: Heading(*row) for row in rows}

    return _listed(prompt, limit, headings)


def _listed(prompt: Prompt, limit: int, fetch: Callable[[list[int]], dict]) -> list:
    ids = related_ids(prompt, limit)
    rows = fetch(ids)
    if len(rows) < len(ids):  # a prompt the kept list names is gone: find the list again
        ids = related_ids(prompt, limit, again=True)
        rows = fetch(ids)
    return [rows[i] for i in ids if i in rows]


def related_ids(prompt: Prompt, limit: int = LIMIT, again: bool = False) -> list[int]:
    """The ids of the related prompts, best first: the kept list while it is current, else
    found now and kept."""
    kept = None if again else _kept(prompt)
    if kept is None:
        kept = _find_related(prompt, LIMIT)
        if kept:
            # An empty list is not kept: the next prompt of the topic, or the search index
            # catching up, fills it for the very next reader rather than a day later.
            keep(prompt.id, kept)
    return kept[:limit]


def _kept(prompt: Prompt) -> list[int] | None:
    row = db.session.execute(
        select(RelatedReading.prompt_ids, RelatedReading.found_at).where(
            RelatedReading.prompt_id == prompt.id
        )
    ).first()
    if row is None or not row.prompt_ids:
        return None
    due = utcnow() - timedelta(seconds=current_app.config["RELATED_REFRESH_SECONDS"])
    if row.found_at < due or (prompt.updated_at and row.found_at < prompt.updated_at):
        return None
    return [int(i) for i in row.prompt_ids.split(",") if i]


def find_all(progress: Callable[[int], None] | None = None, batch: int = 200) -> int:
    """Find every prompt's related reading again and keep it (`flask --app forum search
    related`: after an import, so that first readers do not wait for it); how many prompts."""
    done, last = 0, 0
    while True:
        found = db.session.scalars(
            select(Prompt).where(Prompt.id > last).order_by(Prompt.id).limit(batch)
        ).all()
        if not found:
            return done
        lists = {prompt.id: _find_related(prompt, LIMIT) for prompt in found}
        db.session.execute(_upsert(db.engine.dialect.name, lists))
        db.session.commit()
        done, last = done + len(found), found[-1].id
        db.session.expunge_all()
        if progress:
            progress(len(found))


def _upsert(dialect: str, lists: dict[int, list[int]]):
    now = utcnow()
    rows = [
        {"prompt_id": prompt_id, "prompt_ids": ",".join(map(str, ids)), "found_at": now}
        for prompt_id, ids in lists.items()
    ]
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(RelatedReading)
    statement = insert.values(rows)
    return statement.on_conflict_do_update(
        index_elements=[RelatedReading.prompt_id],
        set_={"prompt_ids": statement.excluded.prompt_ids, "found_at": statement.excluded.found_at},
    )


def keep(prompt_id: int, ids: list[int]) -> bool:
    """Keep the list found for this prompt, in a transaction of its own; False when the
    database was busy or refused (the list is simply found again next time)."""
    engine = db.engine
    dialect = engine.dialect.name
    upsert = _upsert(dialect, {prompt_id: ids})
    try:
        with engine.connect() as connection:
            waits = None
            if dialect == "postgresql":
                # Derived data: no need to wait for the write-ahead log to reach the disk.
                connection.execute(select(func.set_config("synchronous_commit", "off", True)))
            else:
                waits = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
                connection.exec_driver_sql(f"PRAGMA busy_timeout={KEEP_WAIT_MS}")
            try:
                connection.execute(upsert)
                connection.commit()
            except SQLAlchemyError:
                connection.rollback()
                raise
            finally:
                if waits is not None:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(waits)}")
    except SQLAlchemyError as error:
        log.info("related reading of prompt %s not kept: %s", prompt_id, error)
        return False
    return True


def _find_related(prompt: Prompt, limit: int) -> list[int]:
    found = similar_prompts(prompt.id, limit)
    tag_ids = [t.id for t in prompt.tags]
    if tag_ids and len(found) < limit:
        shared = (
            select(prompt_tags.c.prompt_id, func.count().label("shared"))
            .where(prompt_tags.c.tag_id.in_(tag_ids), prompt_tags.c.prompt_id != prompt.id)
            .group_by(prompt_tags.c.prompt_id)
            .subquery()
        )
        found += db.session.scalars(
            select(Prompt.id)
            .join(shared, shared.c.prompt_id == Prompt.id)
            .where(Prompt.id.not_in([prompt.id, *found]))
            .order_by(shared.c.shared.desc(), Prompt.helpful_score.desc(), Prompt.id)
            .limit(limit - len(found))
        )
    if len(found) < limit:
        found += db.session.scalars(
            select(Prompt.id)
            .where(Prompt.topic_id == prompt.topic_id, Prompt.id.not_in([prompt.id, *found]))
            .order_by(Prompt.helpful_score.desc(), Prompt.last_activity_at.desc())
            .limit(limit - len(found))
        )
    return found
