"""Strategies proven in practice (the /strategies page's "Proven in practice" tab and
`GET /api/v1/strategies?sort=proven`): only visible contributions that at least three members
reported trying, most successful first; and a member's profile saying how often others tried
what they wrote."""

from __future__ import annotations

import pytest

from forum.models import User
from forum.ranking import outcome_success
from forum.services import moderation, outcomes, profiles
from tests.factories import make_contribution, make_moderator, make_prompt, make_user, rate_many
from tests.helpers import fresh, page_text


def tried_by(contribution, *results: str, setting: str | None = None) -> None:
    for result in results:
        outcomes.report(make_user(), contribution, result, setting)


def ids(body: dict) -> list[int]:
    return [item["id"] for item in body["items"]]


@pytest.fixture
def tried():
    """Four strategies: `best` (3 worked), `mixed` (2 worked, 1 didn't), `few` (two reports
    only) and `hidden` (4 worked, then hidden by a moderator)."""
    prompt = make_prompt()
    made = {
        name: make_contribution(prompt=prompt, body=f"The {name} strategy.")
        for name in ("best", "mixed", "few", "hidden", "untried")
    }
    tried_by(made["mixed"], "worked", "worked", "didnt", setting="group")
    tried_by(made["best"], "worked", "worked", "worked", setting="one_to_one")
    tried_by(made["few"], "worked", "worked")
    tried_by(made["hidden"], "worked", "worked", "worked", "worked")
    moderation.hide(make_moderator(), made["hidden"], "off topic")
    return made


def test_the_api_lists_only_visible_strategies_with_three_reports_by_success(client, tried):
    response = client.get("/api/v1/strategies?sort=proven")
    assert response.status_code == 200
    body = response.get_json()
    assert ids(body) == [tried["best"].id, tried["mixed"].id]
    assert body["total"] == 2
    best = fresh(type(tried["best"]), tried["best"].id)
    assert best.success == pytest.approx(outcome_success(3, 0, 0))
    assert best.success > fresh(type(tried["mixed"]), tried["mixed"].id).success


def test_proven_strategies_need_no_ratings_unless_asked(client, tried):
    assert ids(client.get("/api/v1/strategies?sort=proven").get_json())  # none is rated
    rate_many(tried["mixed"], [4])
    body = client.get("/api/v1/strategies?sort=proven&min_ratings=1").get_json()
    assert ids(body) == [tried["mixed"].id]


def test_the_useful_order_stays_the_default(client, tried):
    rate_many(tried["few"], [5, 5])
    rate_many(tried["untried"], [3])
    assert ids(client.get("/api/v1/strategies").get_json()) == [
        tried["few"].id,
        tried["untried"].id,
    ]
    assert ids(client.get("/api/v1/strategies?sort=useful").get_json()) == [
        tried["few"].id,
        tried["untried"].id,
    ]


@pytest.mark.parametrize("sort", ["best", "PROVEN", ""])
def test_an_unknown_sort_is_refused_with_the_reason(client, sort):
    response = client.get(f"/api/v1/strategies?sort={sort}")
    assert response.status_code in (400, 422)
    body = response.get_json()
    assert body["code"] == response.status_code
    assert "sort" in body.get("errors", {}), body


def test_a_hidden_strategy_comes_back_to_the_proven_list_on_restore(client, tried):
    moderation.restore(make_moderator(), tried["hidden"])
    body = client.get("/api/v1/strategies?sort=proven").get_json()
    assert ids(body)[0] == tried["hidden"].id  # four out of four worked


def test_the_proven_tab_lists_them_with_their_evidence(client, tried):
    response = client.get("/strategies?sort=proven")
    assert response.status_code == 200
    html = response.text
    assert 'aria-current="page">Proven in practice</a>' in html
    text = page_text(response)
    assert text.index("The best strategy.") < text.index("The mixed strategy.")
    for absent in ("The few strategy.", "The hidden strategy.", "The untried strategy."):
        assert absent not in text
    assert "Tried by 3 · 3 worked · mostly 1:1" in text
    assert "Tried by 3 · 2 worked · mostly in groups" in text
    assert "2 strategies" in text


def test_the_proven_tab_explains_when_nothing_has_three_reports(client, app):
    contribution = make_contribution()
    tried_by(contribution, "worked", "worked")
    text = page_text(client.get("/strategies?sort=proven"))
    assert "No strategy has three reports yet" in text
    assert "Tried by" not in text
    # The usefulness list links to the tab; an unknown sort in a shared link shows that list.
    html = client.get("/strategies?sort=whatever").text
    assert 'href="/strategies?sort=proven"' in html
    assert 'aria-current="page">Most useful</a>' in html


def test_the_evidence_line_shows_on_top_strategies_the_home_page_and_the_profile(client):
    contribution = make_contribution()
    tried_by(contribution, "worked", "worked", "worked", setting="one_to_one")
    rate_many(contribution, [5])
    author = contribution.author.username
    for address in ("/strategies", "/", f"/u/{author}"):
        text = page_text(client.get(address))
        assert "Tried by 3 · 3 worked · mostly 1:1" in text, address


# --- profiles -------------------------------------------------------------------------------


def test_a_profile_says_how_often_others_tried_the_members_visible_strategies(client, tried):
    author = tried["best"].author
    other = make_contribution(author=author)
    tried_by(other, "didnt")
    rate_many(other, [5])
    reputation = profiles.reputation(author)

    body = client.get(f"/api/v1/users/{author.username}").get_json()
    assert body["outcomes"] == {"tried": 4, "worked": 3}
    assert body["reputation"] == pytest.approx(reputation)  # reputation stays usefulness
    assert "Tried by others 4 times · 3 worked" in page_text(client.get(f"/u/{author.username}"))


def test_a_hidden_contributions_outcomes_stop_counting_and_come_back_on_restore(client, tried):
    author = tried["hidden"].author
    assert client.get(f"/api/v1/users/{author.username}").get_json()["outcomes"] == {
        "tried": 0,
        "worked": 0,
    }
    assert "Tried by others Not yet" in page_text(client.get(f"/u/{author.username}"))
    moderation.restore(make_moderator(), tried["hidden"])
    assert client.get(f"/api/v1/users/{author.username}").get_json()["outcomes"] == {
        "tried": 4,
        "worked": 4,
    }
    assert profiles.profile_of(fresh(User, author.id)).outcomes == {"tried": 4, "worked": 4}


def test_a_member_nobody_tried_shows_zero(client):
    member = make_user()
    body = client.get(f"/api/v1/users/{member.username}").get_json()
    assert body["outcomes"] == {"tried": 0, "worked": 0}
