"""Never showing what must not be seen: the database has the last word over the index."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.search import get_engine
from forum.search.query import parse
from forum.services import contributions, moderation
from tests.factories import make_contribution, make_moderator, make_prompt
from tests.search.helpers import found, indexed_keys, search


@pytest.fixture
def zebras(app):
    """Two contributions found by the same word, so a search has something left to show."""
    prompt = make_prompt(title="Unusual techniques")
    kept = make_contribution(prompt=prompt, body="The zebra technique, told openly.")
    doomed = make_contribution(prompt=prompt, body="The zebra technique, told by a spammer.")
    return kept, doomed


def contribution_keys(client, q: str) -> set[int]:
    return {ident for kind, ident in found(client, q) if kind == "contribution"}


def test_a_hidden_contribution_disappears_from_results(client, zebras):
    kept, doomed = zebras

    moderation.hide(make_moderator(), doomed, "spam")

    assert contribution_keys(client, "zebra") == {kept.id}
    assert f"c:{doomed.id}" not in indexed_keys("zebra")


def test_a_deleted_contribution_disappears_from_results(client, zebras):
    kept, doomed = zebras

    contributions.delete_contribution(doomed.author, doomed)

    assert contribution_keys(client, "zebra") == {kept.id}
    assert f"c:{doomed.id}" not in indexed_keys("zebra")


@pytest.mark.parametrize("status", ["hidden", "deleted"])
def test_the_service_filters_in_sql_even_when_the_index_still_holds_it(
    client, zebras, status, search_backend, monkeypatch
):
    kept, doomed = zebras
    if search_backend == "postgres":
        # PostgreSQL reads the status live; make its engine answer as a stale index would
        # (from an index, so without numbers it read live for the service to take).
        engine = get_engine()
        stale = [replace(hit, current=None) for hit in engine.search(parse("zebra"), 200)]
        monkeypatch.setattr(engine, "search", lambda parsed, limit: stale)
    # Behind the outbox's back: the index is not told.
    db.session.execute(
        text("UPDATE contributions SET status = :status WHERE id = :id"),
        {"status": status, "id": doomed.id},
    )
    db.session.commit()

    body = search(client, "zebra")

    assert f"c:{doomed.id}" in indexed_keys("zebra")
    assert {("contribution", kept.id)} <= {(i["type"], i["id"]) for i in body["items"]}
    assert doomed.id not in {i["id"] for i in body["items"] if i["type"] == "contribution"}
    assert body["total"] == len(body["items"])
    assert sum(body["facets"]["topics"].values()) == body["total"]


def test_a_restored_contribution_comes_back(client, zebras):
    kept, doomed = zebras
    moderator = make_moderator()
    moderation.hide(moderator, doomed, "spam")

    moderation.restore(moderator, doomed)

    assert contribution_keys(client, "zebra") == {kept.id, doomed.id}
    assert f"c:{doomed.id}" in indexed_keys("zebra")
