"""The "prf" search variant (SEARCH_VARIANT, services/search_feedback.py): the words the top hits
share are asked too, so an answer saying the same thing in other words comes back; "plain" is the
engine's hits as they are, and an unknown name searches plain."""

from __future__ import annotations

import logging

import pytest

from forum.services.search import SEARCH_VARIANTS
from tests.factories import make_contribution, make_prompt
from tests.search.helpers import search


@pytest.fixture
def handover(app):
    """Three answers about delegation that all speak of a handover, an answer about a handover
    that never says delegation, and unrelated answers (so that "handover" is a rare word)."""
    prompt = make_prompt(title="Quiet mornings")
    other = make_prompt(title="Evening routines")
    made = {
        f"delegation {n}": make_contribution(prompt=prompt, body=body)
        for n, body in enumerate(
            (
                "Delegation starts with a written handover checklist.",
                "Delegation fails without a proper handover meeting.",
                "Good delegation needs a handover and trust.",
            )
        )
    }
    made["handover only"] = make_contribution(
        prompt=other, body="A handover checklist keeps the next person from guessing."
    )
    for n, body in enumerate(
        ("Walk after dinner.", "Read a novel.", "Cook soup slowly.", "Call a friend.")
    ):
        made[f"unrelated {n}"] = make_contribution(prompt=other, body=body)
    return made


def contribution_ids(body: dict) -> list[int]:
    return [item["id"] for item in body["items"] if item["type"] == "contribution"]


def test_the_variants_offered():
    assert SEARCH_VARIANTS[:2] == ("plain", "prf")


def test_plain_finds_only_what_holds_the_words(app, client, handover):
    app.config["SEARCH_VARIANT"] = "plain"
    body = search(client, "delegation")

    assert handover["handover only"].id not in contribution_ids(body)
    assert {handover[f"delegation {n}"].id for n in range(3)} <= set(contribution_ids(body))


def test_prf_brings_back_an_answer_in_the_top_hits_own_words(app, client, handover):
    app.config["SEARCH_VARIANT"] = "prf"
    body = search(client, "delegation")
    ids = contribution_ids(body)

    # It comes back, below the answers holding the reader's word, and holds none of it.
    assert handover["handover only"].id in ids
    assert ids.index(handover["handover only"].id) > max(
        ids.index(handover[f"delegation {n}"].id) for n in range(3)
    )
    matched = {item["id"]: item["explain"]["matched"] for item in body["items"]}
    assert matched[handover["handover only"].id] == 0.0
    for n in range(4):
        assert handover[f"unrelated {n}"].id not in ids


def test_prf_with_nothing_found_finds_nothing(app, client, handover):
    app.config["SEARCH_VARIANT"] = "prf"

    assert search(client, "zeppelin")["items"] == []


def test_an_unknown_variant_searches_plain(app, client, handover, caplog):
    app.config["SEARCH_VARIANT"] = "plain"
    plain = contribution_ids(search(client, "delegation"))
    app.config["SEARCH_VARIANT"] = "bogus"

    with caplog.at_level(logging.WARNING, logger="forum.services.search_feedback"):
        assert contribution_ids(search(client, "delegation")) == plain
    assert "bogus" in caplog.text
