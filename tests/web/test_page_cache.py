"""Readers who are not signed in share a cached prompt page that is never stale."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Prompt
from forum.services import accounts, contributions, moderation, prompts, ratings
from tests.factories import make_contribution, make_moderator, make_prompt, make_user


@pytest.fixture
def app_config_overrides() -> dict:
    return {"CACHE_TYPE": "SimpleCache"}


def _page(client, prompt) -> str:
    response = client.get(f"/prompts/{prompt.id}/{prompt.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _version(prompt_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Prompt, prompt_id).version


def test_a_reader_sees_a_new_rating_at_once_although_the_page_is_cached(client):
    contribution = make_contribution(body="Ask what they would lose by changing.")
    prompt = contribution.prompt
    assert "Not rated yet" in _page(client, prompt)
    ratings.rate(make_user(), contribution, 5)
    assert "</span> from 1 rating" in _page(client, prompt)


def test_a_reader_sees_a_new_contribution_at_once(client):
    prompt = make_prompt()
    _page(client, prompt)
    make_contribution(prompt=prompt, body="Name the pattern kindly and openly.")
    assert "Name the pattern kindly and openly." in _page(client, prompt)


@pytest.mark.parametrize(
    "change",
    [
        "edit",
        "hide",
        "feature",
        "rate",
        "helpful",
        "edit_prompt",
        "author_renamed",
    ],
)
def test_every_change_shown_on_the_page_moves_its_version(app, change):
    author = make_user()
    contribution = make_contribution(author=author)
    prompt_id = contribution.prompt_id
    moderator = make_moderator()
    before = _version(prompt_id)
    actions = {
        "edit": lambda: contributions.edit_contribution(author, contribution, "A new body."),
        "hide": lambda: moderation.hide(moderator, contribution, "off topic"),
        "feature": lambda: moderation.set_featured(moderator, contribution, True),
        "rate": lambda: ratings.rate(make_user(), contribution, 4),
        "helpful": lambda: prompts.rate_prompt(make_user(), contribution.prompt, True),
        "edit_prompt": lambda: prompts.update_prompt(moderator, contribution.prompt, title="New"),
        "author_renamed": lambda: accounts.update_profile(author, display_name="Renamed Coach"),
    }
    actions[change]()
    assert _version(prompt_id) > before


def test_a_signed_in_member_gets_a_fresh_page_with_their_own_forms(client):
    contribution = make_contribution()
    _page(client, contribution.prompt)  # fills the shared copy
    member = make_user()
    client.post("/login", data={"username": member.username, "password": "correct horse battery"})
    page = _page(client, contribution.prompt)
    assert "How useful?" in page
    assert "Log out" in page


def test_a_client_holding_the_current_version_gets_304(client):
    prompt = make_prompt()
    first = client.get(f"/prompts/{prompt.id}/{prompt.slug}")
    etag = first.headers["ETag"]
    again = client.get(f"/prompts/{prompt.id}/{prompt.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    make_contribution(prompt=prompt)
    changed = client.get(f"/prompts/{prompt.id}/{prompt.slug}", headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_the_api_listing_for_readers_is_cached_and_never_stale(client):
    contribution = make_contribution()
    url = f"/api/v1/prompts/{contribution.prompt_id}/contributions"
    assert client.get(url).json["items"][0]["rating"]["count"] == 0
    ratings.rate(make_user(), contribution, 3)
    assert client.get(url).json["items"][0]["rating"]["count"] == 1


def test_a_part_read_lately_is_taken_from_the_process_until_a_few_seconds_pass(app, monkeypatch):
    """The shared part of a page is unpickled once, not for every member's request; it is read
    from the cache again a few seconds on (a page kept briefly goes soon after), and nothing
    the cache did not keep is remembered."""
    from forum import kept, page_cache
    from forum.extensions import cache

    reads = []
    get = cache.get
    monkeypatch.setattr(cache, "get", lambda key: reads.append(key) or get(key))
    clock = [1000.0]
    monkeypatch.setattr(kept, "clock", lambda: clock[0])
    with app.test_request_context():
        cache.set("parts:test", {"texts": ["shared"]})
        first = page_cache.cached("parts:test")
        assert page_cache.cached("parts:test") is first
        assert reads == ["parts:test"]
        clock[0] += page_cache.OBJECT_SECONDS + 1
        assert page_cache.cached("parts:test") == {"texts": ["shared"]}
        assert len(reads) == 2
        assert page_cache.cached("parts:missing") is None
        assert page_cache.cached("parts:missing") is None
        assert reads[2:] == ["parts:missing", "parts:missing"]
