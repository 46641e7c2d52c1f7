"""Purging a spammer: one action suspends the account and hides all it still shows."""

from __future__ import annotations

from forum.models import Contribution, Prompt, User
from forum.services import contributions
from tests.api.helpers import USER, assert_error, assert_shape, ok, post
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import fresh, page_text
from tests.moderation.helpers import audit_lines


def spammer_with_posts():
    spammer = make_user()
    prompt = make_prompt()
    posts = [make_contribution(prompt=prompt, author=spammer) for _ in range(3)]
    contributions.delete_contribution(spammer, posts[2])  # deleted stays deleted
    return spammer, prompt, posts


def test_purging_from_the_profile_suspends_and_hides_every_visible_contribution(client, login):
    spammer, prompt, posts = spammer_with_posts()
    bystander = make_contribution(prompt=prompt)
    login(make_moderator())

    response = client.post(
        f"/u/{spammer.username}/purge", data={"reason": "link spam", "confirm": spammer.username}
    )

    assert response.status_code == 302
    user = fresh(User, spammer.id)
    assert (user.status, user.suspension_reason, user.suspended_until) == (
        "suspended",
        "link spam",
        None,
    )
    statuses = [
        (fresh(Contribution, c.id).status, fresh(Contribution, c.id).hidden_reason) for c in posts
    ]
    assert statuses == [("hidden", "link spam"), ("hidden", "link spam"), ("deleted", "")]
    assert fresh(Contribution, bystander.id).status == "visible"
    assert fresh(Prompt, prompt.id).contribution_count == 1
    assert audit_lines()[-4:] == [
        ("suspend", "user", spammer.id),
        ("hide", "contribution", posts[0].id),
        ("hide", "contribution", posts[1].id),
        ("purge", "user", spammer.id),
    ]
    assert "Suspended" in page_text(client.get(f"/u/{spammer.username}"))


def test_the_purge_endpoint_answers_with_the_suspended_user(client):
    spammer, _, posts = spammer_with_posts()

    body = ok(
        post(client, f"/users/{spammer.username}/purge", {"reason": "spam"}, user=make_moderator())
    )

    assert_shape(body, USER)
    assert (body["username"], body["status"], body["contribution_count"]) == (
        spammer.username,
        "suspended",
        0,
    )
    assert fresh(Contribution, posts[0].id).status == "hidden"


def test_the_purge_endpoint_wants_a_reason_and_changes_nothing_without_one(client):
    spammer, _, posts = spammer_with_posts()

    response = post(client, f"/users/{spammer.username}/purge", {}, user=make_moderator())

    assert_error(response, 422, "reason")
    assert fresh(User, spammer.id).status == "active"
    assert fresh(Contribution, posts[0].id).status == "visible"


def test_a_moderator_cannot_purge_another_moderator(client):
    other = make_moderator()
    post_of_other = make_contribution(author=other)

    response = post(
        client, f"/users/{other.username}/purge", {"reason": "x"}, user=make_moderator()
    )

    assert_error(response, 403)
    assert fresh(Contribution, post_of_other.id).status == "visible"


def test_purge_is_documented_in_the_openapi_description(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/api/v1/users/{username}/purge"]["post"]

    assert "200" in operation["responses"]
    assert "requestBody" in operation


def test_a_purge_without_the_typed_username_changes_nothing_and_says_so(client, login):
    spammer, _, posts = spammer_with_posts()
    login(make_moderator())
    profile = client.get(f"/u/{spammer.username}").text
    assert "button--danger" in profile.split('id="purge-reason"')[1].split("</form>")[0]
    assert 'name="confirm"' in profile and "Type the username" in profile

    wrong = client.post(
        f"/u/{spammer.username}/purge", data={"reason": "link spam", "confirm": "someone"}
    )
    assert wrong.status_code == 302
    assert f"Nothing was purged: type {spammer.username} to confirm." in page_text(
        client.get(wrong.headers["Location"])
    )
    missing = client.post(f"/u/{spammer.username}/purge", data={"reason": "link spam"})
    assert missing.status_code == 400
    assert fresh(User, spammer.id).status == "active"
    assert fresh(Contribution, posts[0].id).status == "visible"
