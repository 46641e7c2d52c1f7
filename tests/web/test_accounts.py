"""Logging in and out, registering, and where a login sends you next."""

from __future__ import annotations

import pytest

from forum.models import User
from forum.services import accounts
from tests.factories import PASSWORD, make_user
from tests.helpers import fresh, page_text


def test_a_member_logs_in_and_sees_their_name_in_the_header(client):
    make_user(username="dana", display_name="Dana Coach")
    response = client.post("/login", data={"username": "dana", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Dana Coach" in page_text(client.get("/"))


def test_usernames_are_matched_whatever_their_case(client):
    make_user(username="dana")
    response = client.post("/login", data={"username": "DANA", "password": PASSWORD})
    assert response.status_code == 302


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client):
    make_user(username="dana")
    wrong_password = client.post("/login", data={"username": "dana", "password": "nope-nope-nope"})
    unknown_user = client.post("/login", data={"username": "nobody", "password": PASSWORD})
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert "Wrong username or password." in page_text(response)
    assert "Log in" in page_text(client.get("/"))  # still a reader


def test_login_returns_to_the_page_named_in_next(client):
    user = make_user()
    response = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "next": "/strategies?page=2"},
    )
    assert response.headers["Location"] == "/strategies?page=2"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/steal",
        "https://evil.example/steal",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\nSet-Cookie: x",
    ],
)
def test_login_refuses_to_send_anyone_off_the_site(client, target):
    user = make_user()
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_next_parameter_of_the_login_address_is_checked_too(client):
    user = make_user()
    response = client.post(
        "/login?next=//evil.example", data={"username": user.username, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_a_reader_asking_for_a_members_page_is_sent_to_log_in_and_back(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fsettings"
    form = client.get("/login?next=%2Fsettings")
    assert 'name="next" type="hidden" value="/settings"' in form.get_data(as_text=True)


def test_logging_out_is_a_post_and_never_a_link(client, login):
    login(make_user())
    assert client.get("/logout").status_code == 405
    assert "Log out" in page_text(client.get("/"))
    response = client.post("/logout")
    assert response.status_code == 302
    assert "Log in" in page_text(client.get("/"))
    assert client.get("/settings").status_code == 302


def test_registering_creates_the_account_and_logs_the_member_in(client):
    response = client.post(
        "/register",
        data={
            "username": "newcoach",
            "email": "new@example.org",
            "display_name": "New Coach",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 302
    assert "New Coach" in page_text(client.get("/"))
    user = accounts.find_user("newcoach")
    assert user is not None and user.email == "new@example.org"


def test_registering_shows_what_is_wrong_next_to_each_field(client):
    make_user(username="taken")
    response = client.post(
        "/register",
        data={"username": "taken", "email": "not-an-email", "password": "short"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="username-error">That username is taken.' in html
    assert 'id="email-error">Enter a valid email address.' in html
    assert 'id="password-error">Use at least 10 characters.' in html
    assert 'aria-describedby="username-hint username-error"' in html
    assert 'value="taken"' in html  # what was typed stays
    assert accounts.find_user("taken").email == "taken@example.org"


def test_a_missing_member_is_a_friendly_404(client):
    response = client.get("/u/nobody-here")
    assert response.status_code == 404
    assert "We could not find that page" in page_text(response)
    assert "No such member." in page_text(response)


def test_a_suspended_member_may_still_log_in_and_read(client, login):
    user = make_user(suspended=True)
    login(user)
    assert client.get("/").status_code == 200
    assert fresh(User, user.id).status == "suspended"
