"""How many rated strategies a topic holds: the total of the strategies list (its page and
`GET /api/v1/strategies`), counted once per version of the topic instead of once per request.

Counting the visible contributions with a rating took 10-13 ms at 100,000 contributions, a third
of the strategies page. The total changes far less often than the list's order: only when a
contribution gets its first rating or loses its last one, is hidden, restored or deleted, or when
a prompt moves between topics or goes. A listener of the change stream (forum/changes.py) moves
the version of each topic such a change touches, in the writing transaction; a rating that is
not a contribution's first or last moves nothing. Totals are kept per process, by topic and
version, and the whole list's total is the sum of its topics'. Only the list's default filter is
kept this way (most useful, at least one rating, any tag); other filters count as before.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import bindparam, exists, func, literal_column, select, update
from sqlalchemy.engine import Connection

from forum.changes import Changes
from forum.extensions import db
from forum.models import Contribution, Prompt, Topic
from forum.models.topic import fresh_version

_TOPICS = Topic.__table__
# Spelled as ix_contributions_rated's condition is (services/strategies.py).
_RATED = (Contribution.status == "visible", Contribution.rating_count >= literal_column("1"))
# Per process: at most this many topics' totals are kept, then the list starts again.
KEPT = 10_000


class StrategyTotals:
    """Moves the strategies version of every topic whose total a change may alter."""

    def noted(self, connection: Connection, changes: Changes, info: dict) -> None:
        del info
        moved = touched_topics(connection, changes)
        if moved == set():
            return
        statement = update(_TOPICS).values(strategies_version=bindparam("version"))
        if moved is not None:
            statement = statement.where(_TOPICS.c.id.in_(sorted(moved)))
        connection.execute(statement, {"version": fresh_version()})

    def committed(self, info: dict) -> None:
        """Nothing after commit: the versions moved with the change."""

    def rolled_back(self, info: dict) -> None:
        """Nothing to undo: the versions rolled back with the change."""


def touched_topics(connection: Connection, changes: Changes) -> set[int] | None:
    """The topics whose total may have changed; None for every topic (a prompt or a
    contribution gone, or a prompt with rated contributions changed: it may have moved between
    topics, and where it was before is not known)."""
    if changes.prompts:
        ids = sorted(changes.prompts)
        found = connection.scalar(select(func.count()).where(Prompt.id.in_(ids)))
        rated = connection.scalar(select(exists().where(Contribution.prompt_id.in_(ids), *_RATED)))
        if found < len(ids) or rated:
            return None
    ids = sorted({*changes.contributions, *changes.rescored})
    if not ids:
        return set()
    rows = connection.execute(
        select(Contribution.id, Contribution.rating_count, Prompt.topic_id)
        .join(Prompt, Prompt.id == Contribution.prompt_id)
        .where(Contribution.id.in_(ids))
    ).all()
    if len(rows) < len(ids):
        return None
    topics = set()
    for row in rows:
        # A contribution never rated is in no total, whatever its state; a rated one written,
        # hidden, restored or deleted may have come in or gone out (contributions never move
        # between prompts: its topic is its prompt's).
        if row.id in changes.contributions and row.rating_count >= 1:
            topics.add(row.topic_id)
        # A rating added or removed moves the count by one: a contribution now rated once or
        # not at all may have crossed from none to one, or back.
        if row.id in changes.rescored and row.rating_count <= 1:
            topics.add(row.topic_id)
    return topics


def forget_all(connection: Connection) -> None:
    """Move every topic's version (after counters were fixed by SQL: `recount`)."""
    connection.execute(update(_TOPICS).values(strategies_version=fresh_version()))


def rated_total(topic_id: int | None) -> int:
    """How many visible contributions with at least one rating the topic holds (every topic:
    None), as committed now."""
    # The versions first, then the counts: a total counted later than its version was read
    # can only be newer than that version, never older.
    versions = dict(db.session.execute(select(Topic.id, Topic.strategies_version)).all())
    wanted = list(versions) if topic_id is None else [topic_id] if topic_id in versions else []
    kept: dict[int, tuple[int, int]] = current_app.extensions.setdefault("strategy_totals", {})
    missing = [t for t in wanted if kept.get(t, (None, 0))[0] != versions[t]]
    if missing:
        counted = dict(
            db.session.execute(
                select(Prompt.topic_id, func.count())
                .select_from(Contribution)
                .join(Prompt, Prompt.id == Contribution.prompt_id)
                .where(Prompt.topic_id.in_(missing), *_RATED)
                .group_by(Prompt.topic_id)
            ).all()
        )
        if len(kept) + len(missing) > KEPT:
            kept.clear()
        for topic in missing:
            kept[topic] = (versions[topic], counted.get(topic, 0))
    return sum(kept[t][1] for t in wanted)
