"""How notifications reach a member by email: immediately, in the digest, or not at all, and
how often the digest comes; on the API and on the settings page."""

from __future__ import annotations

from forum.models import User
from tests.factories import auth, make_user
from tests.helpers import csrf_token, fresh, page_text


def test_new_members_get_notifications_immediately_and_a_weekly_digest(client):
    me = client.get("/api/v1/me", headers=auth(make_user())).json
    assert (me["email_notifications"], me["digest"], me["email_confirmed"]) == (
        "immediately",
        "weekly",
        False,
    )


def test_a_member_sets_them_on_the_api(client):
    user = make_user()
    response = client.patch(
        "/api/v1/me", json={"email_notifications": "digest", "digest": "daily"}, headers=auth(user)
    )
    assert response.status_code == 200
    assert (response.json["email_notifications"], response.json["digest"]) == ("digest", "daily")
    assert fresh(User, user.id).digest == "daily"


def test_other_values_are_a_422_naming_the_field(client):
    user = make_user()
    headers = auth(user)
    for body, field in (
        ({"email_notifications": "hourly"}, "email_notifications"),
        ({"digest": "monthly"}, "digest"),
        ({"digest": None}, "digest"),
        ({"email_notifications": 1}, "email_notifications"),
    ):
        response = client.patch("/api/v1/me", json=body, headers=headers)
        assert response.status_code == 422, body
        assert field in response.json["errors"], response.json
    assert fresh(User, user.id).email_notifications == "immediately"


def test_the_settings_page_states_the_policy_and_saves_the_choice(client, login):
    user = make_user()
    login(user)
    page = client.get("/settings")
    text = page_text(page)
    assert "when nothing is new, nothing is sent" in text
    assert "only to a confirmed address" in text

    saved = client.post(
        "/settings/notifications",
        data={"csrf_token": csrf_token(page), "email_notifications": "off", "digest": "daily"},
    )

    assert saved.status_code == 302
    assert (fresh(User, user.id).email_notifications, fresh(User, user.id).digest) == (
        "off",
        "daily",
    )
    wrong = client.post(
        "/settings/notifications",
        data={"csrf_token": csrf_token(page), "email_notifications": "hourly", "digest": "daily"},
    )
    assert wrong.status_code == 422


def test_a_suspended_member_still_chooses_what_reaches_them_by_email(client, login):
    """A suspension stops writing for others, not the member's own choice of what email they
    get (as following and muting stay theirs); their public profile stays as it was."""
    user = make_user(suspended=True)
    answer = client.patch("/api/v1/me", json={"email_notifications": "off"}, headers=auth(user))
    assert answer.status_code == 200 and answer.json["email_notifications"] == "off"
    public = client.patch(
        "/api/v1/me", json={"digest": "daily", "headline": "Still here"}, headers=auth(user)
    )
    assert public.status_code == 403
    assert (fresh(User, user.id).digest, fresh(User, user.id).headline) == ("weekly", "")

    login(user)
    page = client.get("/settings")
    saved = client.post(
        "/settings/notifications",
        data={"csrf_token": csrf_token(page), "email_notifications": "digest", "digest": "off"},
    )
    assert saved.status_code == 302
    assert (fresh(User, user.id).email_notifications, fresh(User, user.id).digest) == (
        "digest",
        "off",
    )
    profile = client.post(
        "/settings/profile",
        data={"csrf_token": csrf_token(page), "display_name": "Renamed", "headline": "", "bio": ""},
    )
    assert profile.status_code == 403
