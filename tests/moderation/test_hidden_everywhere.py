"""A hidden contribution is hidden everywhere but from moderators and, with the reason, from its
author: prompt pages, lists and counters, strategies, profiles and reputation."""

from __future__ import annotations

import pytest

from forum.models import Prompt, User
from forum.services import moderation, profiles
from tests.api.helpers import get, ids, ok
from tests.factories import make_contribution, make_moderator, make_prompt, make_user, rate_many
from tests.helpers import fresh, page_text, prompt_page

HIDDEN_BODY = "Secret spam about miracle pills."
SHOWN_BODY = "Listen first, then ask one question."


@pytest.fixture
def world():
    """A prompt with one visible and one hidden contribution, both rated."""
    moderator = make_moderator()
    author = make_user(display_name="Hilda Hidden")
    prompt = make_prompt(title="How do you open a first session?")
    shown = make_contribution(prompt=prompt, body=SHOWN_BODY)
    hidden = make_contribution(prompt=prompt, author=author, body=HIDDEN_BODY)
    rate_many(shown, [4, 5])
    rate_many(hidden, [5, 5])
    moderation.hide(moderator, hidden, "advertising")
    return moderator, author, prompt, shown, hidden


def prompt_text(client, prompt) -> str:
    return page_text(prompt_page(client, prompt))


def test_a_reader_and_another_member_do_not_see_a_hidden_contribution(client, login, world):
    _, _, prompt, _, _ = world
    anonymous = prompt_text(client, prompt)
    login(make_user())
    member = prompt_text(client, prompt)

    for text in (anonymous, member):
        assert SHOWN_BODY in text and HIDDEN_BODY not in text
        assert "1 contribution" in text


def test_the_author_sees_their_hidden_contribution_with_the_moderators_reason(client, login, world):
    _, author, prompt, _, _ = world
    login(author)

    text = prompt_text(client, prompt)

    assert HIDDEN_BODY in text
    assert "Hidden by a moderator: advertising" in text
    assert "Restore" not in text


def test_a_moderator_sees_it_marked_hidden_with_a_restore_button(client, login, world):
    moderator, _, prompt, _, _ = world
    login(moderator)

    text = prompt_text(client, prompt)

    assert HIDDEN_BODY in text and "Hidden: advertising" in text and "Restore" in text


def test_the_anonymous_api_listing_and_the_counters_leave_it_out(client, world):
    _, _, prompt, shown, _ = world

    body = ok(get(client, f"/prompts/{prompt.id}/contributions"))

    assert ids(body["items"]) == [shown.id]
    assert fresh(Prompt, prompt.id).contribution_count == 1
    topic_page = page_text(client.get(f"/topics/{prompt.topic.slug}"))
    assert "1 contribution" in topic_page


def test_strategies_page_api_and_home_leave_it_out(client, world):
    _, _, _, shown, _ = world

    api = ok(get(client, "/strategies"))
    assert ids(api["items"]) == [shown.id]
    for path in ("/strategies", "/"):
        text = page_text(client.get(path))
        assert HIDDEN_BODY not in text


def test_a_profile_lists_only_visible_contributions_to_others(client, world):
    _, author, _, _, _ = world

    text = page_text(client.get(f"/u/{author.username}"))

    assert HIDDEN_BODY not in text
    assert "has not contributed yet" in text


def test_a_hidden_contributions_ratings_stop_counting_for_reputation_and_count_again_on_restore():
    moderator, author = make_moderator(), make_user()
    contribution = make_contribution(author=author)
    rate_many(contribution, [5, 5, 4])
    earned = profiles.reputation(author)

    moderation.hide(moderator, contribution, "checking")
    while_hidden = profiles.reputation(fresh(User, author.id))
    moderation.restore(moderator, contribution)
    restored = profiles.reputation(fresh(User, author.id))

    assert earned > 0.5
    assert while_hidden == 0.0
    assert restored == earned


def test_through_the_api_the_author_reads_the_reason_and_a_reader_gets_404(client, world):
    _, author, _, _, hidden = world

    mine = ok(get(client, f"/contributions/{hidden.id}", user=author))

    assert (mine["status"], mine["hidden_reason"]) == ("hidden", "advertising")
    assert get(client, f"/contributions/{hidden.id}").status_code == 404
    assert get(client, f"/contributions/{hidden.id}", user=make_user()).status_code == 404


def test_a_members_profile_shows_moderators_what_was_hidden_of_theirs_and_nobody_else(
    client, login
):
    author = make_user(username="kofi")
    moderator = make_moderator()
    make_contribution(author=author, body="Still visible advice.")
    hidden = make_contribution(author=author, body="Names a client by name.")
    moderation.hide(moderator, hidden, "names a client")

    login(moderator)
    page = page_text(client.get("/u/kofi"))
    section = page.split("Hidden by moderators", 1)[1].split("Contributions, most useful first")[0]
    assert "Hidden: names a client" in section and "Names a client by name." in section
    assert "Still visible advice." not in section
    assert f'href="/contributions/{hidden.id}"' in client.get("/u/kofi").text

    for someone in (author, make_user()):
        login(someone)
        assert "Hidden by moderators" not in page_text(client.get("/u/kofi"))
    client.post("/logout")
    assert "Hidden by moderators" not in page_text(client.get("/u/kofi"))
