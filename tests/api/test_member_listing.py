"""A prompt's contributions as each caller sees them: `my_rating` is the caller's own, and one
member's never reaches another member or a caller without a token, whoever asked first and
however the shared part of the listing is kept."""

from __future__ import annotations

import pytest

from forum.services import ratings
from tests.api.helpers import get, ok
from tests.factories import auth, make_contribution, make_prompt, make_user


@pytest.fixture(params=["SimpleCache", "NullCache"])
def app_config_overrides(request) -> dict:
    """With the shared part of listings kept between requests, and without."""
    return {"CACHE_TYPE": request.param}


def my_ratings(client, prompt, headers=None, query="") -> dict[int, int | None]:
    listing = ok(get(client, f"/prompts/{prompt.id}/contributions{query}", headers=headers))
    return {item["id"]: item["my_rating"] for item in listing["items"]}


@pytest.mark.parametrize("first", ["alice", "bob", "reader"])
def test_a_members_rating_is_in_their_listing_only_before_and_after_it_changes(client, first):
    prompt = make_prompt()
    alice, bob = make_user(), make_user()
    rated, other = make_contribution(prompt=prompt), make_contribution(prompt=prompt)
    ratings.rate(alice, rated, 4)
    callers = {"alice": auth(alice), "bob": auth(bob), "reader": None}
    order = [first, *(name for name in callers if name != first)]

    for score in (4, 2):
        if score == 2:
            ratings.rate(alice, rated, 2)
        seen = {name: my_ratings(client, prompt, callers[name]) for name in order}
        assert seen["alice"] == {rated.id: score, other.id: None}
        assert seen["bob"] == {rated.id: None, other.id: None}
        assert seen["reader"] == {rated.id: None, other.id: None}


def test_a_members_listing_is_the_readers_listing_with_their_own_ratings(client):
    prompt = make_prompt()
    member = make_user()
    contributions = [make_contribution(prompt=prompt) for _ in range(3)]
    ratings.rate(make_user(), contributions[0], 5)
    ratings.rate(member, contributions[2], 1)
    for query in ("", "?sort=newest&per_page=2&page=2"):
        path = f"/prompts/{prompt.id}/contributions{query}"
        reader = ok(get(client, path))
        mine = ok(get(client, path, headers=auth(member)))
        assert {k: v for k, v in mine.items() if k != "items"} == {
            k: v for k, v in reader.items() if k != "items"
        }
        assert [item["id"] for item in mine["items"]] == [item["id"] for item in reader["items"]]
        for theirs, own in zip(reader["items"], mine["items"], strict=True):
            assert theirs["my_rating"] is None
            assert {**own, "my_rating": None} == theirs
            assert own["my_rating"] == (1 if own["id"] == contributions[2].id else None)
