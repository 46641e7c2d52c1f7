"""Versions of prompt pages: a counter on each prompt that moves, in the same transaction, with
every change to what its page shows, so a cached copy of the page is never served stale.

A listener of the change stream (forum/changes.py): it hears every write, whether the ORM made it
or SQL did.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

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


def version_of(prompt_id: int) -> tuple[int, str] | None:
    """The prompt's version and slug, in one narrow query; None when there is no such prompt.

    On the hot path of every cached page: a prebuilt Core statement on a pooled connection of
    its own, without the ORM session's bookkeeping.
    """
    with db.engine.connect() as connection:
        row = connection.execute(_VERSION, {"prompt_id": prompt_id}).first()
    return (row.version, row.slug) if row else None
