"""A member's prompt page shows their own ratings, votes, forms and links, and nobody else's:
not another member's page, not a reader's, whichever of them opened the page first and however
the shared part of the page is kept."""

from __future__ import annotations

import re

import pytest

from forum.services import moderation, prompts, ratings
from tests.factories import PASSWORD, make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import csrf_token, page_text, prompt_page


@pytest.fixture(params=["SimpleCache", "NullCache"])
def app_config_overrides(request) -> dict:
    """With the shared parts of pages kept between requests, and without."""
    return {"CACHE_TYPE": request.param, "WTF_CSRF_ENABLED": True}


def signed_in(app, user):
    """A browser of its own, logged in through the form as `user`."""
    browser = app.test_client()
    form = browser.get("/login")
    response = browser.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(form)},
    )
    assert response.status_code == 302
    browser.get("/")  # the welcome message is shown once, here
    return browser


def checked_scores(html: str, contribution_id: int) -> list[str]:
    """The scores checked in the rating form of one contribution."""
    form = re.search(rf'action="/contributions/{contribution_id}/rating">(.*?)</form>', html, re.S)
    return re.findall(r'name="score" value="(\d)" aria-pressed="true"', form[1]) if form else []


@pytest.fixture
def world(app):
    prompt = make_prompt()
    alice, bob = make_user(display_name="Alice Coach"), make_user(display_name="Bob Coach")
    theirs = make_contribution(prompt=prompt, body="Ask what they would lose by changing.")
    hers = make_contribution(prompt=prompt, author=alice, body="Name the pattern kindly.")
    return prompt, alice, bob, theirs, hers


@pytest.mark.parametrize("first", ["alice", "bob", "reader"])
def test_a_members_rating_shows_on_their_page_only_before_and_after_it_changes(app, world, first):
    prompt, alice, bob, theirs, _ = world
    ratings.rate(alice, theirs, 4)
    browsers = {
        "alice": signed_in(app, alice),
        "bob": signed_in(app, bob),
        "reader": app.test_client(),
    }
    order = [first, *(name for name in browsers if name != first)]

    for round_, score in enumerate(("4", "2")):
        if round_:
            ratings.rate(alice, theirs, 2)
        pages = {name: prompt_page(browsers[name], prompt).text for name in order}
        assert checked_scores(pages["alice"], theirs.id) == [score]
        assert f"Your rating: {score}" in pages["alice"]
        assert checked_scores(pages["bob"], theirs.id) == []
        assert "Your rating:" not in pages["bob"]
        assert "my rating" not in pages["bob"]
        assert "How useful?" in pages["bob"]
        assert "Your rating:" not in pages["reader"]
        assert "How useful?" not in pages["reader"]
        assert "rate-form" not in pages["reader"]


def test_each_member_sees_their_own_name_edit_links_and_helpful_vote(app, world):
    prompt, alice, bob, theirs, hers = world
    prompts.rate_prompt(alice, prompt, True)
    alice_page = prompt_page(signed_in(app, alice), prompt).text
    bob_page = prompt_page(signed_in(app, bob), prompt).text
    reader_page = prompt_page(app.test_client(), prompt).text

    assert "Alice Coach" in alice_page and "Bob Coach" not in alice_page
    assert "Bob Coach" in bob_page
    assert "Log in" in reader_page and "Log out" not in reader_page
    edit_hers = f"/contributions/{hers.id}/edit"
    assert edit_hers in alice_page
    assert edit_hers not in bob_page and edit_hers not in reader_page
    assert "This is your contribution: others rate it." in alice_page
    assert "This is your contribution" not in bob_page
    assert (
        f'id="rate-{hers.id}-label"' in bob_page and f'id="rate-{hers.id}-label"' not in alice_page
    )
    assert f"/contributions/{theirs.id}/edit" not in alice_page
    assert 'aria-pressed="true">Yes, helpful' in alice_page
    assert 'aria-pressed="true"' not in bob_page
    assert "Withdraw my vote" in alice_page and "Withdraw my vote" not in bob_page
    assert "Yes, helpful" not in reader_page


def test_each_member_gets_their_own_csrf_token_and_their_forms_work(app, world):
    prompt, alice, bob, theirs, _ = world
    alice_browser, bob_browser = signed_in(app, alice), signed_in(app, bob)
    alice_token = csrf_token(prompt_page(alice_browser, prompt))
    bob_page = prompt_page(bob_browser, prompt)
    bob_tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', bob_page.text))
    assert len(bob_tokens) == 1
    assert alice_token not in bob_tokens

    rated = bob_browser.post(
        f"/contributions/{theirs.id}/rating",
        data={"score": "5", "csrf_token": bob_tokens.pop()},
    )
    assert rated.status_code == 302
    posted = bob_browser.post(
        f"/prompts/{prompt.id}/contributions",
        data={"body": "Listen first.", "csrf_token": csrf_token(prompt_page(bob_browser, prompt))},
    )
    assert posted.status_code == 302
    assert checked_scores(prompt_page(bob_browser, prompt).text, theirs.id) == ["5"]
    assert checked_scores(prompt_page(alice_browser, prompt).text, theirs.id) == []


def test_a_members_message_after_rating_reaches_them_alone(app, world):
    prompt, alice, bob, theirs, _ = world
    alice_browser, bob_browser = signed_in(app, alice), signed_in(app, bob)
    prompt_page(bob_browser, prompt)
    alice_browser.post(
        f"/contributions/{theirs.id}/rating",
        data={"score": "3", "csrf_token": csrf_token(prompt_page(alice_browser, prompt))},
    )
    assert "Your rating of 3 is saved." not in page_text(prompt_page(bob_browser, prompt))
    assert "Your rating of 3 is saved." not in page_text(prompt_page(app.test_client(), prompt))
    assert "Your rating of 3 is saved." in page_text(prompt_page(alice_browser, prompt))
    assert "Your rating of 3 is saved." not in page_text(prompt_page(alice_browser, prompt))


def test_what_a_moderator_sees_stays_with_moderators(app, world):
    prompt, alice, bob, theirs, hers = world
    moderator = make_moderator()
    moderation.hide(moderator, hers, "Off topic here.")
    moderator_page = prompt_page(signed_in(app, moderator), prompt).text
    assert "Name the pattern kindly." in moderator_page
    assert "Hidden: Off topic here." in moderator_page
    assert f"/contributions/{theirs.id}/hide" in moderator_page

    alice_page = prompt_page(signed_in(app, alice), prompt).text
    assert "Name the pattern kindly." in alice_page
    assert "Hidden by a moderator: Off topic here." in alice_page
    for browser in (signed_in(app, bob), app.test_client()):
        page = prompt_page(browser, prompt)
        assert "Name the pattern kindly." not in page.text
        assert "Off topic here." not in page.text
        assert "/hide" not in page.text and "Lock prompt" not in page.text
        assert "1 contribution" in page_text(page)
