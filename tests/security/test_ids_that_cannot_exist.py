"""Ids beyond what an id column holds name nothing: every page with an id in its path answers
404, and a form that posts ids refuses them with a 400, on SQLite and PostgreSQL alike (both fail
on such a number rather than find no row, so it must never reach them)."""

from __future__ import annotations

import re

import pytest

from forum import create_app
from forum.services import moderation
from forum.urls import MAX_ID
from tests.conftest import base_config
from tests.factories import PASSWORD, make_contribution, make_moderator, make_user

IMPOSSIBLE_IDS = [str(MAX_ID + 1), str(2**63), "9" * 23]
INT_VARIABLE = re.compile(r"<int:(\w+)>")
VARIABLE = re.compile(r"<(?:\w+:)?(\w+)>")


def _page_routes() -> list[tuple[str, str]]:
    """(method, rule) of every page (not the API) with an id in its path."""
    app = create_app(base_config(DATABASE_URL="sqlite://", SERVER_NAME="forum.test"))
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/api/") and INT_VARIABLE.search(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


PAGE_ROUTES = _page_routes()


def _log_in(client, user) -> None:
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("method, rule", PAGE_ROUTES, ids=[f"{m} {r}" for m, r in PAGE_ROUTES])
def test_a_page_asked_for_an_id_beyond_any_column_answers_404(client, method, rule):
    moderator = make_moderator()
    seen = {}
    for who in ("a reader", "a moderator"):
        if who == "a moderator":
            _log_in(client, moderator)
        for bogus in IMPOSSIBLE_IDS:
            path = VARIABLE.sub(
                lambda m, bogus=bogus: bogus if INT_VARIABLE.match(m.group(0)) else "x", rule
            )
            seen[who, bogus] = client.open(path, method=method).status_code

    assert seen == dict.fromkeys(seen, 404)


@pytest.mark.parametrize("bogus", ["0", "-5", *IMPOSSIBLE_IDS])
def test_the_bulk_decision_refuses_ticked_ids_that_cannot_exist_and_decides_nothing(client, bogus):
    contribution = make_contribution()
    flag = moderation.flag(make_user(), contribution, "spam")
    _log_in(client, make_moderator())

    response = client.post(
        "/moderation/bulk",
        data={"action": "hide", "contributions": [str(contribution.id), bogus]},
    )

    assert response.status_code == 400
    assert "do not exist" in response.get_data(as_text=True)
    assert moderation.get_flag(flag.id).status == "open"


def test_the_bulk_decision_says_a_ticked_id_is_not_a_number_and_decides_nothing(client):
    contribution = make_contribution()
    flag = moderation.flag(make_user(), contribution, "spam")
    _log_in(client, make_moderator())

    response = client.post(
        "/moderation/bulk",
        data={"action": "hide", "contributions": [str(contribution.id), "seven"]},
    )

    assert response.status_code == 400
    assert "not a number" in response.get_data(as_text=True)
    assert moderation.get_flag(flag.id).status == "open"
