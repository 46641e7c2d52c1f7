"""Ending access: logging out ends the session and the remember-me cookie on the server, and a
password change revokes every API token as well."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ApiToken, User
from forum.services import accounts
from tests.api.helpers import assert_error
from tests.factories import PASSWORD, make_user
from tests.helpers import fresh, page_text

DOMAIN = "forum.test"  # the test app's SERVER_NAME
NEW_PASSWORD = "a brand new password"


def log_in(client, user, *, remember: bool = False):
    data = {"username": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, page_text(response)


def cookie(client, name: str) -> str:
    found = client.get_cookie(name, domain=DOMAIN)
    assert found is not None, f"no {name} cookie"
    return found.value


def replayed(client, cookies: dict[str, str]):
    """A fresh browser holding only these cookies."""
    other = client.application.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value, domain=DOMAIN)
    return other


def assert_anonymous(client, user) -> None:
    """Pages that need a login send this browser to log in, and its writes change nothing."""
    settings = client.get("/settings")
    assert settings.status_code == 302
    assert settings.headers["Location"].startswith("/login")
    write = client.post("/settings/profile", data={"display_name": "Taken Over"})
    assert write.status_code == 302
    assert write.headers["Location"].startswith("/login")
    assert fresh(User, user.id).display_name != "Taken Over"
    assert "Log in" in page_text(client.get("/"))


def test_the_session_cookie_from_before_logging_out_no_longer_signs_anyone_in(client):
    user = make_user()
    log_in(client, user)
    captured = {"session": cookie(client, "session")}
    assert replayed(client, captured).get("/settings").status_code == 200

    client.post("/logout")

    assert_anonymous(replayed(client, captured), user)


def test_the_remember_cookie_from_before_logging_out_no_longer_signs_anyone_in(client):
    user = make_user()
    log_in(client, user, remember=True)
    captured = {"remember_token": cookie(client, "remember_token")}
    assert replayed(client, captured).get("/settings").status_code == 200

    client.post("/logout")

    assert_anonymous(replayed(client, captured), user)
    assert_anonymous(replayed(client, {**captured, "session": cookie(client, "session")}), user)


def test_logging_in_again_after_logging_out_works(client):
    user = make_user()
    log_in(client, user, remember=True)
    client.post("/logout")

    log_in(client, user)

    assert client.get("/settings").status_code == 200


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_changing_the_password_revokes_every_api_token_of_the_member(client):
    user, other = make_user(), make_user()
    _, first = accounts.create_token(user, "laptop")
    _, second = accounts.create_token(user, "script")
    _, theirs = accounts.create_token(other, "theirs")
    log_in(client, user)

    response = client.post(
        "/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    for secret in (first, second):
        assert_error(client.get("/api/v1/me", headers=bearer(secret)), 401)
    mine = select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id)
    assert db.session.scalar(mine) == 0
    assert client.get("/api/v1/me", headers=bearer(theirs)).status_code == 200
    assert "You have no API tokens." in page_text(client.get("/settings"))


def test_a_wrong_current_password_revokes_nothing(client):
    user = make_user()
    _, secret = accounts.create_token(user, "laptop")
    log_in(client, user)

    client.post(
        "/settings/password",
        data={"current_password": "not my password", "new_password": NEW_PASSWORD},
    )

    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_the_settings_page_says_a_new_password_revokes_the_api_tokens(client):
    log_in(client, make_user())
    html = client.get("/settings").get_data(as_text=True)
    password_section = html[html.index('id="password-heading"') : html.index('id="tokens-heading"')]
    assert "Changing your password also revokes every API token" in password_section
