"""GET /api/v1/search as docs/api.md describes it: the shape of a page of hits and its 400s.

How results are ranked is tested with the search subsystem; here the contract of the endpoint,
against each engine.
"""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.services import moderation
from tests.api.helpers import (
    BOOL,
    INT,
    NUMBER,
    OBJECT,
    STR,
    assert_page,
    assert_shape,
    get,
    nullable,
    ok,
    refusals,
)
from tests.factories import make_contribution, make_moderator, make_prompt, make_topic, rate_many
from tests.search.engines import pytest_generate_tests  # noqa: F401 (runs each test per engine)

HIT = {
    "type": STR,
    "id": INT,
    "prompt_id": INT,
    "title": STR,
    "snippet": STR,
    "url": STR,
    "score": NUMBER,
    "explain": OBJECT,
}
MARKED_TRUST = re.compile(r"<mark[^>]*>trust</mark>", re.IGNORECASE)
EXPLAIN = {
    "text": NUMBER,
    "usefulness": NUMBER,
    "ratings": INT,
    "featured": BOOL,
    "matched": NUMBER,
}


@pytest.fixture
def indexed(app):
    """This file reads the index, so the test data goes through the search outbox."""
    db.session.info["search_capture"] = True


def assert_hit(hit: dict) -> None:
    assert_shape(hit, HIT)
    assert_shape(hit["explain"], EXPLAIN)
    assert hit["type"] in ("prompt", "contribution")


def search(client, query: str) -> dict:
    body = ok(get(client, f"/search?{query}"))
    assert_page(body, assert_hit)
    assert_shape(body, {"facets": OBJECT, "suggestion": nullable(STR), "notice": nullable(STR)})
    assert_shape(body["facets"], {"topics": OBJECT, "tags": OBJECT})
    return body


def test_a_search_answers_a_page_of_hits_with_facets(client, indexed):
    topic = make_topic(slug="life-coaching")
    prompt = make_prompt(topic=topic, title="Building trust with a new client", tags=("trust",))
    answer = make_contribution(prompt=prompt, body="Trust grows from kept promises. #listening")
    rate_many(answer, [5])

    body = search(client, "q=trust")

    found = {(hit["type"], hit["id"]) for hit in body["items"]}
    assert {("prompt", prompt.id), ("contribution", answer.id)} <= found
    assert body["facets"]["topics"].get("life-coaching", 0) >= 1
    assert any(MARKED_TRUST.search(hit["snippet"]) for hit in body["items"])


def test_hidden_contributions_never_come_back(client, indexed):
    prompt = make_prompt(title="Goals")
    hidden = make_contribution(prompt=prompt, body="Secret zebra technique")
    moderation.hide(make_moderator(), hidden, "spam")

    body = search(client, "q=zebra&type=contribution")

    assert hidden.id not in [hit["id"] for hit in body["items"]]


def test_an_empty_query_with_a_filter_lists_what_the_filter_selects(client, indexed):
    topic = make_topic(slug="business")
    prompt = make_prompt(topic=topic, title="Pricing a first engagement")

    body = search(client, "q=&topic=business")

    assert ("prompt", prompt.id) in {(hit["type"], hit["id"]) for hit in body["items"]}


def test_a_search_without_words_or_filters_or_with_bad_parameters_is_a_400(client):
    queries = ["", "q=", "q=%20%20", "q=trust&sort=bogus", "q=trust&type=user", "q=x&per_page=0"]

    seen = refusals(lambda query: get(client, f"/search?{query}"), {q: q for q in queries})

    assert {query: status for query, (status, _) in seen.items()} == dict.fromkeys(queries, 400)
