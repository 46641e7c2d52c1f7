"""A member's settings: profile, password and API tokens, never cached."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.models import ApiToken, User
from forum.services import accounts
from tests.factories import PASSWORD, make_user
from tests.helpers import fresh, page_text


def test_settings_are_private_and_never_cached(client, login):
    login(make_user())
    response = client.get("/settings")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_member_updates_their_profile_and_the_profile_page_shows_it(client, login):
    user = make_user(username="dana")
    login(user)
    response = client.post(
        "/settings/profile",
        data={"display_name": "Dana Coach", "headline": "Team coach", "bio": "Ten years."},
    )
    assert response.status_code == 302
    assert "Your profile is saved." in page_text(client.get("/settings"))
    text = page_text(client.get("/u/dana"))
    assert "Dana Coach" in text and "Team coach" in text and "Ten years." in text
    assert fresh(User, user.id).headline == "Team coach"


def test_an_empty_display_name_is_sent_back_with_the_reason(client, login):
    user = make_user(display_name="Kept Name")
    login(user)
    response = client.post("/settings/profile", data={"display_name": " ", "headline": "x" * 121})
    assert response.status_code == 422
    assert 'id="headline-error">Use at most 120 characters.' in response.text
    assert fresh(User, user.id).display_name == "Kept Name"


def test_changing_the_password_keeps_this_session_and_the_new_password_works(client, login):
    user = make_user(username="dana")
    login(user)
    response = client.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": "a brand new password"},
    )
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200  # still logged in
    client.post("/logout")
    old = client.post("/login", data={"username": "dana", "password": PASSWORD})
    assert "Wrong username or password." in page_text(old)
    new = client.post("/login", data={"username": "dana", "password": "a brand new password"})
    assert new.status_code == 302


def test_a_wrong_current_password_is_explained_next_to_its_field(client, login):
    login(make_user(username="dana"))
    response = client.post(
        "/settings/password",
        data={"current_password": "not my password", "new_password": "a brand new password"},
    )
    assert response.status_code == 422
    assert 'id="current_password-error">That is not your current password.' in response.text
    client.post("/logout")
    assert client.post("/login", data={"username": "dana", "password": PASSWORD}).status_code == 302


def test_a_new_token_is_shown_once_on_top_then_only_listed_by_name(client, login, caplog):
    user = make_user()
    login(user)
    created = client.post("/settings/tokens", data={"name": "reporting script"})
    assert created.status_code == 302
    assert created.headers["Location"] == "/settings"  # the secret is never in an address
    shown = client.get("/settings")
    assert shown.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-token-secret" type="text" value="(cp_[^"]+)"', shown.text).group(1)
    text = page_text(shown)
    assert "it will not be shown again" in text
    assert text.index("Your new API token “reporting script”") < text.index("Profile")
    assert 'data-copy="new-token-secret"' in shown.text and "copy.js" in shown.text
    assert accounts.user_for_token(secret).id == user.id
    assert secret not in caplog.text

    reloaded = client.get("/settings")
    assert "reporting script" in page_text(reloaded)
    assert secret not in reloaded.text
    assert "Your new API token" not in page_text(reloaded)
    assert db.session.query(ApiToken).filter_by(user_id=user.id).count() == 1


def test_a_token_without_a_usable_name_stays_on_the_form(client, login):
    user = make_user()
    login(user)
    refused = client.post("/settings/tokens", data={"name": "x" * 500})
    assert refused.status_code == 422
    assert "Your new API token" not in page_text(refused)
    assert db.session.query(ApiToken).filter_by(user_id=user.id).count() == 0


def test_revoking_a_token_stops_it_at_once(client, login):
    user = make_user()
    token, secret = accounts.create_token(user, "old script")
    login(user)
    response = client.post(f"/settings/tokens/{token.id}/revoke")
    assert response.status_code == 302
    text = page_text(client.get("/settings"))
    assert "The token is revoked" in text
    assert "old script" not in text
    assert accounts.user_for_token(secret) is None
    assert fresh(ApiToken, token.id) is None


def test_a_member_cannot_revoke_someone_elses_token(client, login):
    other = make_user()
    token, secret = accounts.create_token(other, "theirs")
    login(make_user())
    assert client.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert accounts.user_for_token(secret) is not None
