"""A reader's cached page is answered before the application runs, and never differs from what
the application would answer: the same body and headers, a change seen at once, members,
tokens and renamed prompts all still answered by the application."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forum import reader_pages
from forum.services import moderation, prompts, ratings
from tests.factories import auth, make_contribution, make_moderator, make_user


@pytest.fixture
def app_config_overrides() -> dict:
    return {"CACHE_TYPE": "SimpleCache"}


@pytest.fixture
def flask_answers(app) -> list[str]:
    """The paths the application itself answered (the reader layer runs before any hook)."""
    answered: list[str] = []

    @app.before_request
    def _count():
        from flask import request

        answered.append(request.path)

    return answered


def _address(prompt) -> str:
    return f"/prompts/{prompt.id}/{prompt.slug}"


def _headers(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "Date"}


def test_the_second_reader_gets_the_same_page_without_the_application(client, flask_answers):
    prompt = make_contribution(body="Ask what they would lose by changing.").prompt
    first = client.get(_address(prompt))
    second = client.get(_address(prompt))
    assert second.status_code == 200
    assert second.get_data() == first.get_data()
    assert _headers(second) == _headers(first)
    assert "Content-Security-Policy" in second.headers
    assert flask_answers == [_address(prompt)]


def test_a_change_is_seen_at_once_by_the_next_reader(client, flask_answers):
    contribution = make_contribution()
    prompt = contribution.prompt
    client.get(_address(prompt))
    client.get(_address(prompt))
    ratings.rate(make_user(), contribution, 5)
    page = client.get(_address(prompt)).get_data(as_text=True)
    assert "</span> from 1 rating" in page
    assert len(flask_answers) == 2  # the first reader, and the first after the change


def test_the_api_listing_for_readers_is_answered_the_same_and_never_stale(client, flask_answers):
    contribution = make_contribution()
    url = f"/api/v1/prompts/{contribution.prompt_id}/contributions?per_page=50"
    first = client.get(url)
    again = client.get(url)
    assert again.get_data() == first.get_data()
    assert again.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert flask_answers == [url.split("?")[0]]
    ratings.rate(make_user(), contribution, 3)
    assert client.get(url).json["items"][0]["rating"]["count"] == 1


def test_a_member_with_a_token_gets_their_own_ratings_not_the_readers_copy(client):
    contribution = make_contribution()
    url = f"/api/v1/prompts/{contribution.prompt_id}/contributions"
    client.get(url)
    client.get(url)
    member = make_user()
    ratings.rate(member, contribution, 4)
    mine = client.get(url, headers=auth(member)).json["items"][0]
    assert mine["my_rating"] == 4


def test_a_signed_in_member_gets_their_own_page_at_a_remembered_address(client):
    prompt = make_contribution().prompt
    client.get(_address(prompt))
    client.get(_address(prompt))
    member = make_user()
    client.post("/login", data={"username": member.username, "password": "correct horse battery"})
    page = client.get(_address(prompt)).get_data(as_text=True)
    assert "Log out" in page
    assert "How useful?" in page


def test_a_renamed_prompt_still_redirects_from_a_remembered_address(client):
    prompt = make_contribution().prompt
    old = _address(prompt)
    client.get(old)
    client.get(old)
    prompts.update_prompt(make_moderator(), prompt, title="A new title for the same question")
    moved = client.get(old)
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"/prompts/{prompt.id}/{prompt.slug}")


def test_a_hidden_contribution_leaves_the_readers_page_at_once(client):
    contribution = make_contribution(body="Offer a smaller first step.")
    prompt = contribution.prompt
    client.get(_address(prompt))
    assert "Offer a smaller first step." in client.get(_address(prompt)).get_data(as_text=True)
    moderation.hide(make_moderator(), contribution, "names a client")
    assert "Offer a smaller first step." not in client.get(_address(prompt)).get_data(as_text=True)


def test_a_conditional_request_at_a_remembered_address_still_gets_304(client):
    prompt = make_contribution().prompt
    client.get(_address(prompt))
    etag = client.get(_address(prompt)).headers["ETag"]
    again = client.get(_address(prompt), headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_a_database_that_fails_is_answered_by_the_application(client, monkeypatch):
    prompt = make_contribution().prompt
    client.get(_address(prompt))

    def broken(engine, prompt_id):
        raise OSError("the database went away")

    monkeypatch.setattr(reader_pages, "versions", SimpleNamespace(version_on=broken))
    answered = client.get(_address(prompt))
    assert answered.status_code == 200  # the application's own query still works
