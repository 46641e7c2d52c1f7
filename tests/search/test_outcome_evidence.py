"""What happened when members tried a contribution, in search (on each engine): every hit's
`explain` carries `tried` and `success` beside the factors of its score (never in it), the facets
count the hits someone tried and those proven (three reports or more), and the results page shows
a contribution hit's evidence line."""

from __future__ import annotations

import pytest

from forum.ranking import outcome_success
from forum.services import moderation, outcomes
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import page_text
from tests.search.helpers import search


def tried_by(contribution, *reports) -> None:
    for result, setting in reports:
        outcomes.report(make_user(), contribution, result, setting)


def scores(body: dict) -> dict[tuple[str, int], float]:
    return {(item["type"], item["id"]): item["score"] for item in body["items"]}


def explain(body: dict, kind: str, ident: int) -> dict:
    return next(i for i in body["items"] if (i["type"], i["id"]) == (kind, ident))["explain"]


@pytest.fixture
def answers(app):
    """A prompt about rapport and four answers: one proven (3 reports), one tried twice, one
    never tried, one proven but hidden."""
    prompt = make_prompt(title="Rapport with a new client", intro="How do you build rapport?")
    made = {
        name: make_contribution(prompt=prompt, body=f"Rapport through {name} listening.")
        for name in ("proven", "twice", "untried", "hidden")
    }
    tried_by(made["proven"], ("worked", "one_to_one"), ("worked", "one_to_one"), ("didnt", None))
    tried_by(made["twice"], ("partly", "group"), ("worked", "team"))
    tried_by(made["hidden"], *[("worked", None)] * 3)
    moderation.hide(make_moderator(), made["hidden"], "spam")
    return prompt, made


def test_each_hit_explains_how_many_tried_it_and_its_success(client, answers):
    prompt, made = answers
    body = search(client, "rapport")

    proven = explain(body, "contribution", made["proven"].id)
    assert proven["tried"] == 3
    assert proven["success"] == pytest.approx(outcome_success(2, 0, 1), abs=1e-4)
    twice = explain(body, "contribution", made["twice"].id)
    assert (twice["tried"], twice["success"]) == (
        2,
        pytest.approx(outcome_success(1, 1, 0), abs=1e-4),
    )
    untried = explain(body, "contribution", made["untried"].id)
    assert (untried["tried"], untried["success"]) == (0, None)
    assert explain(body, "prompt", prompt.id)["success"] is None


def test_the_facets_count_the_hits_tried_and_proven_over_every_result(client, answers):
    body = search(client, "rapport", per_page=1)  # facets cover every result, not the page
    assert body["facets"]["outcomes"] == {"tried": 2, "proven": 1}
    narrowed = search(client, "rapport", type="prompt")
    assert narrowed["facets"]["outcomes"] == {"tried": 0, "proven": 0}


def test_outcomes_never_move_a_hits_score(client, app):
    prompt = make_prompt(title="Silence", intro="Using silence in sessions.")
    first = make_contribution(prompt=prompt, body="Silence, counted to ten.")
    second = make_contribution(prompt=prompt, body="Silence, counted to ten.")
    tried_by(second, *[("worked", None)] * 4)
    body = search(client, "silence")
    after = scores(body)
    # Two contributions alike in text and ratings: the one four members tried ranks the same.
    assert after[("contribution", first.id)] == after[("contribution", second.id)]
    assert explain(body, "contribution", second.id)["tried"] == 4
    for item in body["items"]:
        factors = item["explain"]
        blend = factors["text"] * (0.3 + 0.7 * factors["usefulness"])
        assert item["score"] == pytest.approx(blend, abs=1e-3)


def test_the_results_page_shows_the_evidence_line_of_a_contribution_hit(client, answers):
    text = page_text(client.get("/search?q=rapport"))
    assert "Tried by 3 · 2 worked · mostly 1:1" in text
    assert "Tried by 2 · 1 worked" in text
    assert "Tried by 2 · 1 worked · mostly" not in text  # one group, one team: no majority
    assert text.count("Tried by") == 2  # the hidden answer is not found, the untried has none
