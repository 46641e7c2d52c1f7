"""Versions of prompt pages: a counter on each prompt that moves, in the same transaction, with
every change to what its page shows, so a cached copy of the page is never served stale.

A listener of the change stream (forum/changes.py): it hears every write, whether the ORM made it
or SQL did.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from forum.changes import Changes
from forum.extensions import db
from forum.models import Contribution, Prompt


class PageVersions:
    """Moves the version of every prompt whose page a change shows."""

    def noted(self, connection: Connection, changes: Changes, info: dict) -> None:
        del info
        prompt_ids = changes.pages()
        if changes.authors:
            authors = sorted(changes.authors)
            prompt_ids |= set(
                connection.scalars(
                    select(Contribution.prompt_id).where(Contribution.author_id.in_(authors))
                )
            )
            prompt_ids |= set(
                connection.scalars(select(Prompt.id).where(Prompt.author_id.in_(authors)))
            )
        ids = sorted(i for i in prompt_ids if i is not None)
        if ids:
            table = Prompt.__table__
            connection.execute(
                update(table).where(table.c.id.in_(ids)).values(version=table.c.version + 1)
            )

    def committed(self, info: dict) -> None:
        """Nothing after commit: the versions moved with the change."""

    def rolled_back(self, info: dict) -> None:
        """Nothing to undo: the versions rolled back with the change."""


_VERSION = select(Prompt.__table__.c.version, Prompt.__table__.c.slug).where(
    Prompt.__table__.c.id == bindparam("prompt_id")
)
# The statement's text in each dialect's own parameter style, compiled once.
_COMPILED: dict[tuple[str, str], tuple[str, bool]] = {}


def _compiled(dialect) -> tuple[str, bool]:
    """(SQL, whether it takes its parameter by name) for this dialect."""
    key = (dialect.name, dialect.paramstyle)
    found = _COMPILED.get(key)
    if found is None:
        sql = str(_VERSION.compile(dialect=dialect))
        found = _COMPILED[key] = (sql, dialect.paramstyle in ("named", "pyformat"))
    return found


def version_of(prompt_id: int) -> tuple[int, str] | None:
    """The prompt's version and slug, in one narrow query; None when there is no such prompt.

    On the hot path of every cached page, so it skips SQLAlchemy's execution machinery: the
    statement compiled once, run on a pooled DB-API connection of its own (checked out and
    returned through the pool as any other, so its connect and reset rules apply); 45 us here
    where a Core execute took 190 (bench/README.md, "bench/prompt_page.py").
    """
    return version_on(db.engine, prompt_id)


def version_on(engine, prompt_id: int) -> tuple[int, str] | None:
    """version_of, on the given engine (for forum/reader_pages.py, outside any app context)."""
    dialect = engine.dialect
    sql, by_name = _compiled(dialect)
    params = {"prompt_id": prompt_id} if by_name else (prompt_id,)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        except dialect.loaded_dbapi.Error as error:
            # The same exception a Core execute raises, for the handlers that expect it.
            raise DBAPIError.instance(sql, params, error, dialect.loaded_dbapi.Error) from error
        finally:
            cursor.close()
    finally:
        connection.close()
    return (row[0], row[1]) if row else None
