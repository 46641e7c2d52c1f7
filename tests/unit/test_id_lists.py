"""A column among a list given at execution (forum/id_lists.py): the same rows as IN on either
database, and on PostgreSQL one statement text whatever the list's length, which it can keep
prepared."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.id_lists import one_of
from forum.models import Topic
from tests.factories import make_topic
from tests.helpers import statements_during

# The app of the "whoosh" run is on SQLite; the "postgres" run's, on PostgreSQL.
ON_EITHER = pytest.mark.parametrize("search_backend", ["whoosh", "postgres"], indirect=True)

SLUGS = select(Topic.slug).where(one_of(Topic.id, "ids")).order_by(Topic.id)


@ON_EITHER
def test_one_of_finds_the_rows_listed_and_none_for_an_empty_list(app):
    topics = [make_topic(slug=f"topic-{n}") for n in range(4)]
    chosen = [topics[3].id, topics[1].id, 10_000]
    assert db.session.scalars(SLUGS, {"ids": chosen}).all() == ["topic-1", "topic-3"]
    assert db.session.scalars(SLUGS, {"ids": []}).all() == []
    by_slug = select(Topic.id).where(one_of(Topic.slug, "slugs"))
    assert db.session.scalars(by_slug, {"slugs": ["topic-2"]}).all() == [topics[2].id]


@pytest.mark.parametrize("search_backend", ["postgres"], indirect=True)
def test_on_postgresql_every_length_of_list_is_one_statement(app):
    ids = [make_topic().id for _ in range(3)]
    with statements_during() as sent:
        for length in range(1, 4):
            db.session.scalars(SLUGS, {"ids": ids[:length]}).all()
    assert len(set(sent)) == 1


@pytest.mark.parametrize("search_backend", ["whoosh"], indirect=True)
def test_on_sqlite_the_rows_are_looked_up_by_the_index_not_by_reading_the_table(app):
    """`x IN (...) = 1` (a boolean expression compared to true, as SQLite is written for) hid the
    index from SQLite's planner: a search's details read every prompt and contribution, 55 ms
    of a search at 100,000 contributions."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner: on PostgreSQL the list is one array (the test above)")
    ids = [make_topic().id, make_topic().id]
    with statements_during() as sent:
        db.session.scalars(SLUGS, {"ids": ids}).all()
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sent[-1]}", tuple(ids))
    steps = " | ".join(row[-1] for row in plan)
    assert "SEARCH topics USING INTEGER PRIMARY KEY" in steps, steps
    assert "SCAN topics" not in steps, steps
