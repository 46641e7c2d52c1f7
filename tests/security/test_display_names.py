"""Display names cannot pass for another member's, nor hide characters a reader cannot see; pages
show the @username beside a display name, so a name alone never decides who wrote something."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import User
from forum.names import name_key
from forum.services import accounts, moderation
from tests.api.helpers import assert_error, ok, patch, post
from tests.factories import PASSWORD, make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import fresh, page_text
from tests.moderation.helpers import flag_it

CYRILLIC_A, CYRILLIC_CAPITAL_EM = "\u0430", "\u041c"

LOOKALIKES_OF_MARIA = {
    "the same name": "Maria Lindqvist",
    "in capitals": "MARIA LINDQVIST",
    "a Cyrillic a": f"M{CYRILLIC_A}ria Lindqvist",
    "a Cyrillic capital M and a": f"{CYRILLIC_CAPITAL_EM}{CYRILLIC_A}ria Lindqvist",
    "rn for m": "rnaria Lindqvist",
    "a one for an l": "Maria 1indqvist",
    "a capital I for an l": "Maria Iindqvist",
    "a dot between the words": "Maria.Lindqvist",
    "an underscore, lower case": "maria_lindqvist",
    "fullwidth letters": "\uff2d\uff41\uff52\uff49\uff41 Lindqvist",
    "her username": "maria",
    "her username in capitals with rn": "RNARIA",
}

HIDDEN = {
    "a right-to-left override": ("\u202etsivqdniL airaM", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "a zero width space": ("Ma\u200bria L.", "U+200B ZERO WIDTH SPACE"),
    "a zero width joiner": ("Ma\u200dria L.", "U+200D ZERO WIDTH JOINER"),
    "a left-to-right isolate": ("\u2066Ana\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    "a byte order mark": ("\ufeffAna", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    "a control character": ("Ana\x1b[31m", "U+001B a control character"),
    "a private-use character": ("Ana\ue000", "U+E000 a private-use character"),
    "a Hangul filler": ("Ana\u3164", "U+3164 HANGUL FILLER"),
}


@pytest.fixture
def maria():
    """The staff member someone would like to pass for."""
    return make_moderator(username="maria", display_name="Maria Lindqvist")


def register(client, username: str, display_name=None):
    body = {"username": username, "email": f"{username}@example.org", "password": "long enough pw"}
    if display_name is not None:
        body["display_name"] = display_name
    return post(client, "/auth/register", body)


def log_in(client, user) -> None:
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def member_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(User.id)))


def display_name_error(response) -> str:
    return " ".join(assert_error(response, 422, "display_name")["errors"]["display_name"])


# --- registration and profile changes through the API ---------------------------------------


@pytest.mark.parametrize("lookalike", LOOKALIKES_OF_MARIA.values(), ids=list(LOOKALIKES_OF_MARIA))
def test_registering_with_a_name_that_looks_like_a_staff_members_is_refused(
    client, maria, lookalike
):
    response = register(client, "rnaria", lookalike)

    assert "@maria" in display_name_error(response)
    assert member_count() == 1


@pytest.mark.parametrize("lookalike", LOOKALIKES_OF_MARIA.values(), ids=list(LOOKALIKES_OF_MARIA))
def test_changing_ones_display_name_to_look_like_a_staff_members_is_refused(
    client, maria, lookalike
):
    member = make_user(username="rnaria", display_name="Rina A.")

    response = patch(client, "/me", {"display_name": lookalike}, user=member)

    assert "@maria" in display_name_error(response)
    assert fresh(User, member.id).display_name == "Rina A."


def test_a_username_chosen_to_look_like_anothers_cannot_be_its_own_display_name(client, maria):
    response = register(client, "rnaria")

    assert "Choose a display name" in display_name_error(response)
    assert member_count() == 1
    ok(register(client, "rnaria", "Rina Andersson"), 201)


@pytest.mark.parametrize(("name", "named"), HIDDEN.values(), ids=list(HIDDEN))
def test_invisible_and_control_characters_are_refused_and_named(client, name, named):
    member = make_user(display_name="Ana")

    registered = register(client, "ana_two", name)
    changed = patch(client, "/me", {"display_name": name}, user=member)

    for response in (registered, changed):
        assert named in display_name_error(response)
    assert fresh(User, member.id).display_name == "Ana"
    assert accounts.find_user("ana_two") is None


def test_an_at_sign_is_refused_because_pages_show_the_real_username_after_one(client, maria):
    member = make_user(username="rnaria", display_name="Rina")
    response = patch(client, "/me", {"display_name": "Maria L. @maria"}, user=member)
    assert "@" in display_name_error(response)


def test_a_name_made_only_of_punctuation_is_refused(client):
    member = make_user(display_name="Ana")
    response = patch(client, "/me", {"display_name": "..."}, user=member)
    assert "letter or digit" in display_name_error(response)


def test_display_names_are_stored_normalized_trimmed_and_with_single_spaces(client):
    body = ok(register(client, "ana", "  \uff21\uff4e\uff41   \ufb01ne\tCoach "), 201)
    assert body["display_name"] == "Ana fine Coach"
    member = accounts.find_user("ana")

    fullwidth = "\uff2f\uff4b\uff41\uff46\uff4f\uff52"
    body = ok(patch(client, "/me", {"display_name": fullwidth}, user=member))

    assert body["display_name"] == "Okafor"
    row = fresh(User, member.id)
    assert (row.display_name, row.display_key) == ("Okafor", name_key("Okafor"))


def test_a_member_may_use_their_own_username_in_any_case_as_display_name(client, maria):
    member = make_user(username="sam", display_name="Sam Rivera")

    ok(patch(client, "/me", {"display_name": "SAM"}, user=member))
    ok(register(client, "tom", "Tom"), 201)
    ok(register(client, "lena"), 201)

    assert fresh(User, member.id).display_name == "SAM"
    assert accounts.find_user("lena").display_name == "lena"


def test_a_name_shared_before_the_rule_can_be_kept_while_the_rest_of_the_profile_changes(
    client, maria
):
    member = make_user(username="rnaria", display_name="Rina")
    member.display_name = "Maria Lindqvist"  # as an older version of the forum allowed
    db.session.commit()

    body = ok(
        patch(client, "/me", {"display_name": "Maria Lindqvist", "headline": "Coach"}, user=member)
    )

    assert (body["display_name"], body["headline"]) == ("Maria Lindqvist", "Coach")


def test_the_keys_follow_every_change_of_name(app, maria):
    assert (maria.username_key, maria.display_key) == (
        name_key("maria"),
        name_key("Maria Lindqvist"),
    )
    accounts.update_profile(maria, display_name="Maria L.")
    assert fresh(User, maria.id).display_key == name_key("Maria L.")


# --- the pages: register form, settings form, command line ----------------------------------


def test_the_register_form_refuses_a_lookalike_name_next_to_the_field(client, maria):
    response = client.post(
        "/register",
        data={
            "username": "rnaria",
            "email": "r@example.org",
            "display_name": "Maria Lindqvist",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 422
    assert 'id="display_name-error">' in response.text
    assert "@maria" in page_text(response)
    assert accounts.find_user("rnaria") is None


def test_the_settings_form_refuses_a_lookalike_name_next_to_the_field(client, maria):
    member = make_user(username="rnaria", display_name="Rina")
    log_in(client, member)

    response = client.post(
        "/settings/profile", data={"display_name": f"M{CYRILLIC_A}ria Lindqvist", "headline": ""}
    )

    assert response.status_code == 422
    assert 'id="display_name-error">' in response.text
    assert fresh(User, member.id).display_name == "Rina"


def test_the_settings_form_refuses_a_right_to_left_override(client):
    member = make_user(display_name="Rina")
    log_in(client, member)
    response = client.post("/settings/profile", data={"display_name": "\u202eaniR", "headline": ""})
    assert response.status_code == 422
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in page_text(response)


def test_the_command_line_creates_accounts_with_their_keys_and_refuses_lookalikes(runner, maria):
    created = runner.invoke(
        args=["users", "create", "ada", "--email", "ada@example.org", "--password",
              "long enough password", "--display-name", "Ada  Okafor"]
    )  # fmt: skip
    refused = runner.invoke(
        args=["users", "create", "rnaria", "--email", "r@example.org", "--password",
              "long enough password", "--display-name", "MARIA LINDQVIST"]
    )  # fmt: skip

    assert created.exit_code == 0, created.output
    ada = accounts.find_user("ada")
    assert (ada.display_name, ada.display_key) == ("Ada Okafor", name_key("Ada Okafor"))
    assert refused.exit_code != 0 and "@maria" in refused.output
    assert accounts.find_user("rnaria") is None


# --- pages show who is who ------------------------------------------------------------------


def test_a_profile_shows_the_username_beside_the_display_name(client, maria):
    response = client.get("/u/maria")
    assert "Maria Lindqvist @maria" in page_text(response)
    assert "<title>Maria Lindqvist (@maria)" in response.text


def test_contribution_cards_show_the_authors_username_beside_their_name(client, maria):
    prompt = make_prompt(author=maria)
    make_contribution(prompt=prompt, author=maria)

    on_prompt = page_text(client.get(f"/prompts/{prompt.id}/{prompt.slug}"))
    on_profile = page_text(client.get("/u/maria"))

    assert "Asked by Maria Lindqvist @maria ·" in on_prompt
    # The question, the card, and the rail's "Who contributed".
    assert on_prompt.count("Maria Lindqvist @maria") == 3
    assert "By Maria Lindqvist @maria ·" in on_profile


def test_a_name_that_is_the_username_is_not_repeated(client):
    author = make_user(username="kofi")
    make_contribution(author=author)
    text = page_text(client.get("/u/kofi"))
    assert "By kofi ·" in text and "@kofi" not in text


def test_the_flag_queue_shows_usernames_beside_authors_and_reporters(client, maria):
    author = make_user(username="sam", display_name="Sam Spammer")
    contribution = make_contribution(author=author)
    flag_it(
        contribution,
        "spam",
        "an advert",
        reporter=make_user(username="rita", display_name="Rita R"),
    )
    log_in(client, maria)

    text = page_text(client.get("/moderation"))

    assert "By Sam Spammer @sam ·" in text
    assert "by Rita R @rita," in text


def test_the_audit_log_names_actors_and_members_by_username_never_by_display_name(client, maria):
    member = make_user(username="sam", display_name="Sam Spammer")
    moderation.suspend(maria, member, "bot account")
    log_in(
        client, make_moderator(username="otto", display_name="Otto")
    )  # the header names the viewer

    text = page_text(client.get("/moderation/log"))

    assert "maria suspended sam: bot account" in text
    assert "Maria Lindqvist" not in text and "Sam Spammer" not in text
