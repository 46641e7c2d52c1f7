"""What caches and browsers are told: a reader's shared copy may be kept by anyone and is
revalidated with its ETag; a member's answer is theirs alone; a page holding a secret is never
stored. The application sends no Date of its own (the server adds exactly one), also on a copy
answered again from the reader layer and on a 304."""

from __future__ import annotations

import base64

import pytest

from tests.factories import PASSWORD, auth, make_contribution, make_user

PUBLIC = "public, max-age=0, must-revalidate"


@pytest.fixture
def app_config_overrides() -> dict:
    return {"CACHE_TYPE": "SimpleCache"}


def _address(prompt) -> str:
    return f"/prompts/{prompt.id}/{prompt.slug}"


def _listing(prompt) -> str:
    return f"/api/v1/prompts/{prompt.id}/contributions"


def test_a_readers_page_may_be_kept_by_any_cache_and_is_revalidated_with_its_etag(client):
    prompt = make_contribution().prompt
    first = client.get(_address(prompt))
    second = client.get(_address(prompt))  # the copy answered again, before the application
    for answer in (first, second):
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == PUBLIC
        assert answer.headers["ETag"]
        assert answer.headers.getlist("Date") == []
    again = client.get(_address(prompt), headers={"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == PUBLIC
    assert again.headers.getlist("Date") == []


def test_a_copy_first_asked_for_conditionally_is_answered_again_without_a_date(client):
    prompt = make_contribution().prompt
    stale = client.get(_address(prompt), headers={"If-None-Match": '"an-older-version"'})
    assert stale.status_code == 200
    assert stale.headers.getlist("Date") == []
    next_reader = client.get(_address(prompt))
    assert next_reader.status_code == 200
    assert next_reader.headers.getlist("Date") == []
    assert next_reader.headers["Cache-Control"] == PUBLIC


def test_a_members_page_is_private(client, login):
    prompt = make_contribution().prompt
    client.get(_address(prompt))
    login(make_user())
    page = client.get(_address(prompt))
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("private")
    assert "public" not in page.headers["Cache-Control"]


def test_the_api_listing_for_readers_is_public_with_an_etag_and_answers_304(client):
    prompt = make_contribution().prompt
    first = client.get(_listing(prompt))
    second = client.get(_listing(prompt))
    for answer in (first, second):
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == PUBLIC
        assert "no-store" not in answer.headers["Cache-Control"]
        assert answer.headers["ETag"]
        assert answer.headers.getlist("Date") == []
    again = client.get(_listing(prompt), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == PUBLIC


def test_the_api_listing_for_a_member_with_a_token_is_private(client):
    prompt = make_contribution().prompt
    client.get(_listing(prompt))
    mine = client.get(_listing(prompt), headers=auth(make_user()))
    assert mine.status_code == 200
    assert mine.headers["Cache-Control"].startswith("private")
    assert "ETag" not in mine.headers


def test_pages_with_secrets_are_never_stored_and_carry_no_etag(client, login):
    login(make_user())
    settings = client.get("/settings")
    assert settings.headers["Cache-Control"] == "no-store"
    assert "ETag" not in settings.headers
    member = make_user()
    basic = base64.b64encode(f"{member.username}:{PASSWORD}".encode()).decode()
    created = client.post(
        "/api/v1/auth/tokens",
        json={"name": "a script"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    assert "ETag" not in created.headers


def test_no_answer_says_no_store_together_with_an_etag(client, login):
    prompt = make_contribution().prompt
    answers = [client.get(_address(prompt)), client.get(_listing(prompt)), client.get("/")]
    login(make_user())
    answers += [client.get(_address(prompt)), client.get("/settings"), client.get("/")]
    for answer in answers:
        if "ETag" in answer.headers:
            assert "no-store" not in answer.headers.get("Cache-Control", "")
