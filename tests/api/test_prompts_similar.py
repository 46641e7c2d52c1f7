"""GET /api/v1/prompts/similar: "has this been asked?" while a prompt is written, on each engine.

Up to five prompt summaries, each with a `similarity` in 0..1, best first; anyone may ask; a
title, an intro or both, never neither; whatever text comes, an answer, never a 500.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import delete

from forum.extensions import db
from forum.models import Prompt
from tests.api.helpers import assert_error, get, ok
from tests.factories import make_prompt, make_topic
from tests.search.engines import pytest_generate_tests  # noqa: F401 (runs each test per engine)

SUPERVISION = [  # (title, intro): prompts about supervising new coaches, and others
    ("How do you supervise a new coach?", "Supervision sessions for coaches in their first year."),
    ("Peer supervision groups", "Coaches supervise each other in small groups."),
    ("Supervision contracts", "What a supervision contract with a coach should say."),
    ("Reflective practice for coaches", "Journals and supervision keep coaches learning."),
    ("Paying for supervision", "Who pays when a coach needs supervision?"),
    ("Supervising remote coaches", "Supervision over video for coaches abroad."),
    ("When supervision goes wrong", "A supervisor and a coach who disagree."),
]
OTHERS = [
    ("Breathing before sessions", "Box breathing calms nerves."),
    ("Sleep and energy", "Regular bedtimes restore stamina."),
]


@pytest.fixture(autouse=True)
def indexed(unindexed):
    """This file reads the index, so the test data goes through the search outbox."""
    db.session.info["search_capture"] = True


def similar(client, **params):
    return get(client, "/prompts/similar?" + urlencode(params))


def prompt_about(topic, title: str, intro: str, **kwargs) -> Prompt:
    return make_prompt(topic=topic, title=title, intro=intro, key_points=(), tags=(), **kwargs)


@pytest.fixture
def supervision(app):
    topic = make_topic(slug="supervision", name="Supervision")
    others = [prompt_about(topic, *texts) for texts in OTHERS]
    alike = [prompt_about(topic, *texts) for texts in SUPERVISION]
    return alike, others


def test_a_near_duplicate_title_finds_its_prompt_first(client, supervision):
    alike, _ = supervision

    items = ok(similar(client, title="How should I supervise a new coach?"))["items"]

    assert items[0]["id"] == alike[0].id
    assert items[0]["title"] == "How do you supervise a new coach?"


def test_at_most_five_best_first_with_similarity_between_0_and_1(client, supervision):
    alike, others = supervision

    items = ok(similar(client, title="Supervision for coaches", intro="Supervision of coaches."))[
        "items"
    ]

    assert len(items) == 5  # seven prompts are about supervision: the five most alike
    scores = [item["similarity"] for item in items]
    assert all(0 < score <= 1 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert {item["id"] for item in items} <= {p.id for p in alike}


def test_the_same_text_as_a_prompt_is_as_alike_as_can_be(client, supervision):
    alike, _ = supervision
    title, intro = SUPERVISION[2]

    items = ok(similar(client, title=title, intro=intro))["items"]

    assert items[0]["id"] == alike[2].id
    assert items[0]["similarity"] > 0.9
    assert all(item["similarity"] < items[0]["similarity"] for item in items[1:])


def test_the_title_weighs_more_than_the_intro(client, app):
    topic = make_topic()
    in_title = prompt_about(topic, "Mentoring volunteers", "How to begin.")
    in_intro = prompt_about(topic, "How to begin", "Mentoring volunteers.")

    items = ok(similar(client, title="Mentoring volunteers"))["items"]

    assert [item["id"] for item in items] == [in_title.id, in_intro.id]


def test_each_item_is_a_prompt_summary_with_its_similarity(client, supervision):
    listed = ok(get(client, "/prompts?per_page=1"))["items"][0]

    items = ok(similar(client, title="Supervising a new coach"))["items"]

    assert set(items[0]) == set(listed) | {"similarity"}
    assert {"intro", "key_points"}.isdisjoint(items[0])
    assert items[0]["url"].endswith(f"/prompts/{items[0]['id']}/{items[0]['slug']}")


def test_an_intro_alone_is_enough(client, supervision):
    alike, _ = supervision

    items = ok(similar(client, intro="Box breathing calms nerves before a session."))["items"]

    assert items and items[0]["title"] == "Breathing before sessions"


@pytest.mark.parametrize(
    "params",
    [{}, {"title": ""}, {"title": "   ", "intro": "\n\t"}, {"intro": ""}],
    ids=["nothing", "empty-title", "blank-both", "empty-intro"],
)
def test_neither_title_nor_intro_is_a_400_that_says_so(client, supervision, params):
    body = assert_error(similar(client, **params), 400)

    assert "title" in body["message"]


def test_words_that_say_nothing_find_nothing(client, supervision):
    for title in ("???", "the and of", "(((", "..."):
        assert ok(similar(client, title=title))["items"] == [], title


ODD_TITLES = [
    'What "if" (they [won\'t] listen)?',
    "AND OR NOT -",
    "C:\\path\\to 'file' \\' '' \\\\",
    "a:* & b | !c <-> d",
    "émigré coaches — naïve façade 日本語 🙂",
    "x" * 10_000,
    "supervise " * 1_500,
    "\x01\x02 control \x1f characters \x7f",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("title", ODD_TITLES, ids=range(len(ODD_TITLES)))
def test_odd_or_long_text_is_answered_never_a_server_error(client, supervision, title):
    items = ok(similar(client, title=title, intro=title))["items"]

    assert len(items) <= 5
    assert all(0 <= item["similarity"] <= 1 for item in items)


def test_a_nul_character_is_refused_plainly(client, supervision):
    response = similar(client, title="supervise\x00coach")

    assert_error(response, 400)


def test_archived_prompts_come_back_as_the_prompt_listing_shows_them(client, supervision):
    """The listing shows every prompt, locked and archived too (an archived prompt has been
    asked): so does this, with its status, for the editor to judge."""
    topic = make_topic()
    archived = prompt_about(topic, "Mentoring volunteers", "Mentoring.", status="archived")
    listed = {item["id"] for item in ok(get(client, "/prompts?per_page=100"))["items"]}

    items = ok(similar(client, title="Mentoring volunteers"))["items"]

    assert archived.id in listed
    assert [(item["id"], item["status"]) for item in items[:1]] == [(archived.id, "archived")]


def test_a_prompt_gone_from_the_forum_never_comes_back(client, supervision):
    alike, _ = supervision
    db.session.execute(delete(Prompt).where(Prompt.id == alike[0].id))
    db.session.commit()

    items = ok(similar(client, title="How do you supervise a new coach?"))["items"]

    assert items and alike[0].id not in {item["id"] for item in items}


def test_the_openapi_document_lists_the_route_apart_from_a_prompt(client, app):
    spec = ok(get(client, "/openapi.json"))
    operation = spec["paths"]["/api/v1/prompts/similar"]["get"]

    assert {p["name"] for p in operation["parameters"]} >= {"title", "intro"}
    assert "200" in operation["responses"] and "400" in operation["responses"]
    assert "/api/v1/prompts/{prompt_id}" in spec["paths"]
