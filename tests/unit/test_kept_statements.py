"""PostgreSQL keeps what a connection runs often from one request to the next
(forum/kept_statements.py): a transaction that wrote nothing ends by COMMIT, which keeps the
prepared statements; one that wrote is still rolled back, and what it set ends with it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError

from forum.extensions import db
from forum.models import Topic
from tests.factories import make_contribution

pytestmark = pytest.mark.parametrize("search_backend", ["postgres"], indirect=True)


def _prepared(connection) -> list[str]:
    return connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()


def test_a_statement_read_again_after_each_rollback_is_prepared_once(app):
    with db.engine.connect() as connection:
        for n in range(7):
            connection.execute(select(Topic.id).where(Topic.id == n)).all()
            connection.rollback()  # what a request that read does at its end
        assert [s for s in _prepared(connection) if "FROM topics" in s]


def test_a_readers_visits_keep_the_prompt_pages_statements(app, client):
    prompt = make_contribution().prompt
    path = f"/prompts/{prompt.id}/{prompt.slug}"
    db.session.remove()  # the test's own session gives its connection back
    for _ in range(12):
        assert client.get(path).status_code == 200
    with db.engine.connect() as connection:
        assert [s for s in _prepared(connection) if "FROM prompts" in s]


def test_a_transaction_that_wrote_is_still_rolled_back(app):
    with db.engine.connect() as connection:
        connection.execute(insert(Topic).values(name="Undone", slug="undone", description=""))
        connection.rollback()
        count = select(func.count()).select_from(Topic).where(Topic.slug == "undone")
        assert connection.execute(count).scalar() == 0


def test_what_a_reading_transaction_set_for_itself_ends_with_it(app):
    with db.engine.connect() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        connection.rollback()
        assert connection.execute(text("SHOW enable_seqscan")).scalar() == "on"


def test_a_failed_transaction_is_rolled_back_and_the_connection_goes_on(app):
    with db.engine.connect() as connection:
        with pytest.raises(DBAPIError):
            connection.execute(text("SELECT 1 / 0"))
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar() == 1


def test_a_searchs_statement_is_planned_for_its_words_every_time(app, client):
    make_contribution(body="Motivation grows from one small step the client names.")
    db.session.remove()
    for _ in range(12):
        assert client.get("/search?q=motivation").status_code == 200
    with db.engine.connect() as connection:
        prepared = _prepared(connection)
    assert not [s for s in prepared if "ts_rank_cd" in s]  # generic plans ignore how common
    assert prepared  # while the page's other statements are kept
