"""The strategies page keeps each card under its prompt's page version (forum/web/
strategy_cards.py): a list nothing changed costs no card of its own, and whatever a card shows
is there the moment it changes."""

from __future__ import annotations

import pytest

from forum.services import accounts, contributions, moderation, outcomes
from tests.factories import make_contribution, make_moderator, make_prompt, make_user, rate_many
from tests.helpers import page_text, statements_during


@pytest.fixture
def app_config_overrides() -> dict:
    return {"CACHE_TYPE": "SimpleCache"}


def strategies_text(client) -> str:
    response = client.get("/strategies")
    assert response.status_code == 200
    return page_text(response)


def test_a_second_visit_takes_every_card_kept_and_reads_no_contribution_whole(app, client):
    for n in range(3):
        rate_many(make_contribution(body=f"Strategy {n}: ask what they tried."), [4, 5])
    first = strategies_text(client)

    with statements_during(app) as sent:
        again = strategies_text(client)

    assert again == first
    assert first.count("ask what they tried") == 3
    assert not [s for s in sent if "body_html" in s]


def test_a_kept_card_shows_each_change_to_it_at_once(client):
    prompt = make_prompt(title="Resistant clients")
    author = make_user(display_name="Ana Ruiz")
    answer = make_contribution(prompt=prompt, author=author, body="Start with one small step.")
    rate_many(answer, [4])
    assert "from 1 rating" in strategies_text(client)

    rate_many(answer, [5])
    assert "from 2 ratings" in strategies_text(client)

    contributions.edit_contribution(author, answer, "Start with the smallest step.")
    assert "Start with the smallest step." in strategies_text(client)

    accounts.update_profile(author, display_name="Ana R. Ruiz")
    assert "By Ana R. Ruiz" in strategies_text(client)

    for result in ("worked", "worked", "partly"):
        outcomes.report(make_user(), answer, result)
    assert "Tried by 3" in strategies_text(client)

    moderation.set_featured(make_moderator(), answer, True)
    assert "Editor's pick" in strategies_text(client)

    moderation.hide(make_moderator(), answer, "spam")
    assert "smallest step" not in strategies_text(client)
