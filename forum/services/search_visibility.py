"""What search may show, decided in SQL whatever the index says (forum/services/search.py):
the visible ones among an engine's hits, read in full for hits without numbers, or only which
are not visible for hits that carry the numbers their index stored."""

from __future__ import annotations

import json

from sqlalchemy import literal, select
from sqlalchemy import text as sql

from forum.extensions import db
from forum.models import Contribution, Prompt


def visible_contributions(ids: list[int]) -> dict[int, tuple]:
    """The visible ones among these contributions, with their current numbers. Read by primary
    key and checked for status here: with `status = 'visible'` in the WHERE clause, SQLite reads
    every visible contribution through the (status, score) index instead (9 ms at 100,000)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Contribution.id,
            Contribution.status,
            Contribution.score,
            Contribution.rating_count,
            Contribution.featured,
            Contribution.created_at,
            Contribution.prompt_id,
        ).where(Contribution.id.in_(ids))  # fmt: skip
    )
    return {row[0]: row for row in rows if row.status == "visible"}


# For the hits with stored numbers, in one statement: which contributions are hidden or deleted
# (from the partial index of the contributions that are not visible, a few rows), and the title
# and slug of their prompts that are still there. SQLite looks up `id IN (...)` by rowid
# whatever index would serve (reading a page of the table per candidate), so the index is
# named; the ids go as JSON arrays, so the statement's text never changes (binding 200
# parameters costs more than the lookups).
_CHECK_SQLITE = sql(
    "SELECT 'contribution', id, '', '' FROM contributions"
    " INDEXED BY ix_contributions_not_visible"
    " WHERE status <> 'visible' AND id IN (SELECT value FROM json_each(:contributions))"
    " UNION ALL"
    " SELECT 'prompt', id, title, slug FROM prompts"
    " WHERE id IN (SELECT value FROM json_each(:prompts))"
)


def check(contribution_ids: list[int], prompt_ids: set[int]) -> tuple[set, dict]:
    """Which of these contributions may no longer be seen (hidden or deleted: states, as nothing
    deletes a contribution's row), and (title, slug) of each of these prompts still there."""
    if not contribution_ids and not prompt_ids:
        return set(), {}
    if db.session.get_bind().dialect.name == "sqlite":
        arrays = {"contributions": json.dumps(contribution_ids),
                  "prompts": json.dumps(sorted(prompt_ids))}  # fmt: skip
        rows = db.session.execute(_CHECK_SQLITE, arrays)
    else:
        rows = db.session.execute(
            select(literal("contribution"), Contribution.id, literal(""), literal(""))
            .where(Contribution.id.in_(contribution_ids), Contribution.status != "visible")
            .union_all(
                select(literal("prompt"), Prompt.id, Prompt.title, Prompt.slug).where(
                    Prompt.id.in_(prompt_ids)
                )
            )
        )
    unseen, prompts = set(), {}
    for kind, ident, title, slug in rows:
        if kind == "contribution":
            unseen.add(ident)
        else:
            prompts[ident] = (title, slug)
    return unseen, prompts


def visible_prompts(ids: list[int]) -> dict[int, tuple]:
    """These prompts, those still there, with title, date and slug."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Prompt.id, Prompt.title, Prompt.created_at, Prompt.slug).where(Prompt.id.in_(ids))
    )
    return {row[0]: row for row in rows}
