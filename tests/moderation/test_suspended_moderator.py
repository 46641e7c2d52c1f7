"""A suspension removes every moderator power while it lasts, reading what is hidden or deleted
included: a suspended moderator or admin reads the forum as any member does, in the API and on
the pages, and gets the powers back when the suspension is lifted."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forum.services import contributions, moderation
from tests.api.helpers import assert_error, get, ok
from tests.factories import make_admin, make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import page_text

HIDDEN_BODY = "Advertising miracle pills to clients."
DELETED_BODY = "A story the moderators removed."
SHOWN_BODY = "Ask one open question, then listen."


@pytest.fixture
def world():
    """A prompt with one visible, one hidden and one deleted contribution, the hidden and the
    deleted ones edited once (so they have a history)."""
    moderator = make_moderator()
    prompt = make_prompt(title="How do you open a first session?")
    make_contribution(prompt=prompt, body=SHOWN_BODY)
    hidden = make_contribution(prompt=prompt, body="First draft of the advert.")
    deleted = make_contribution(prompt=prompt, body="First draft of the story.")
    contributions.edit_contribution(moderator, hidden, HIDDEN_BODY)
    contributions.edit_contribution(moderator, deleted, DELETED_BODY)
    moderation.hide(moderator, hidden, "advertising")
    contributions.delete_contribution(moderator, deleted, "personal data")
    return SimpleNamespace(prompt=prompt, hidden=hidden, deleted=deleted)


SUSPENDED = {
    "suspended moderator": lambda: make_moderator(suspended=True),
    "suspended admin": lambda: make_admin(suspended=True),
}


@pytest.mark.parametrize("role", SUSPENDED)
def test_a_suspended_moderator_gets_404_for_hidden_and_deleted_contributions_in_the_api(
    client, world, role
):
    suspended = SUSPENDED[role]()

    for made in (world.hidden, world.deleted):
        assert_error(get(client, f"/contributions/{made.id}", user=suspended), 404)
        assert_error(get(client, f"/contributions/{made.id}/revisions", user=suspended), 404)
    assert_error(get(client, "/moderation/flags", user=suspended), 403)


@pytest.mark.parametrize("role", SUSPENDED)
def test_a_suspended_moderator_does_not_see_hidden_contributions_on_the_pages(
    client, login, world, role
):
    login(SUSPENDED[role]())

    text = page_text(client.get(f"/prompts/{world.prompt.id}/{world.prompt.slug}"))

    assert SHOWN_BODY in text and HIDDEN_BODY not in text and DELETED_BODY not in text
    assert "Restore" not in text and "Hide this contribution" not in text
    for made in (world.hidden, world.deleted):
        assert client.get(f"/contributions/{made.id}").status_code == 404
        assert client.get(f"/contributions/{made.id}/revisions").status_code == 404


def test_a_moderator_reads_them_again_once_the_suspension_is_lifted(client, world):
    suspended = make_moderator(suspended=True)
    assert_error(get(client, f"/contributions/{world.hidden.id}", user=suspended), 404)

    moderation.unsuspend(make_admin(), suspended)

    assert ok(get(client, f"/contributions/{world.hidden.id}", user=suspended))["body"] == (
        HIDDEN_BODY
    )
    assert ok(get(client, f"/contributions/{world.deleted.id}/revisions", user=suspended))


def test_an_active_moderator_still_reads_hidden_and_deleted_contributions(client, world):
    moderator = make_moderator()

    assert ok(get(client, f"/contributions/{world.hidden.id}", user=moderator))["status"] == (
        "hidden"
    )
    assert ok(get(client, f"/contributions/{world.deleted.id}", user=moderator))["status"] == (
        "deleted"
    )


def test_a_suspended_member_still_reads_their_own_hidden_contribution(client):
    author = make_user()
    made = make_contribution(author=author, body=HIDDEN_BODY)
    moderation.hide(make_moderator(), made, "advertising")
    moderation.suspend(make_moderator(), author, "advertising")

    assert ok(get(client, f"/contributions/{made.id}", user=author))["status"] == "hidden"
