"""A forgotten password: the same 202 whether or not the address is known, a link valid one
hour and once, and a new password that ends every session and API token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.security import check_password_hash

from forum.models import User
from forum.models.types import utcnow
from forum.queue import Task
from forum.services import email_accounts
from forum.services.errors import Invalid
from tests.factories import PASSWORD, make_user, token_for
from tests.helpers import csrf_token, fresh, page_text
from tests.mail.conftest import path_of

NEW_PASSWORD = "a brand new passphrase"


def _ask(client, email):
    return client.post("/api/v1/auth/password-reset", json={"email": email})


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(client, mailbox):
    user = make_user()

    known = _ask(client, user.email.upper())
    unknown = _ask(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 202
    assert known.json == unknown.json
    assert len(mailbox.to(user.email)) == 1
    assert mailbox.to("nobody@example.org") == []


def test_a_malformed_request_is_a_422(client, mailbox):
    assert client.post("/api/v1/auth/password-reset", json={}).status_code == 422
    assert client.post("/api/v1/auth/password-reset", json={"email": 3}).status_code == 422
    assert len(mailbox) == 0


def _reset_link(client, mailbox, user) -> str:
    _ask(client, user.email)
    (mail,) = mailbox.to(user.email)
    assert mail.subject == "Set a new password" and mail.html
    return path_of(mail.link("/password-reset/"))


def _set_password(client, path, password=NEW_PASSWORD):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page), "new_password": password})


def test_the_link_sets_a_new_password_once_and_ends_every_session_and_token(client, login, mailbox):
    user = make_user()
    token = token_for(user)
    login(user)
    assert client.get("/settings").status_code == 200
    path = _reset_link(client, mailbox, user)

    done = _set_password(client, path)

    assert done.status_code == 302 and done.location.endswith("/login")
    assert client.get("/settings").status_code == 302  # the session ended
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert (
        client.post(
            "/login", data={"username": user.username, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert _set_password(client, path).status_code == 404  # used once
    assert fresh(User, user.id).email_confirmed_at is not None  # the link proved the address


def test_the_link_expires_after_an_hour(client, mailbox, monkeypatch):
    user = make_user()
    path = _reset_link(client, mailbox, user)
    later = utcnow() + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(email_accounts, "utcnow", lambda: later)

    assert client.get(path).status_code == 404
    assert "expired or was already used" in page_text(client.get(path))
    page = client.post(path, data={"new_password": NEW_PASSWORD})
    assert page.status_code == 404
    assert (
        client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code
        == 302
    )


def test_a_short_password_is_refused_and_the_link_still_works(client, mailbox):
    user = make_user()
    path = _reset_link(client, mailbox, user)

    short = _set_password(client, path, "short")

    assert short.status_code == 422
    assert "at least 10 characters" in page_text(short)
    assert _set_password(client, path).status_code == 302


def test_the_login_page_offers_the_forgot_password_page(client, mailbox):
    user = make_user()
    login_page = client.get("/login")
    assert 'href="/password-reset"' in login_page.text

    form = client.get("/password-reset")
    sent = client.post(
        "/password-reset", data={"csrf_token": csrf_token(form), "email": user.email}
    )

    assert sent.status_code == 302
    assert "If an account uses that address" in page_text(client.get("/login"))
    assert len(mailbox.to(user.email)) == 1


@pytest.fixture
def limited(client_with, smtp_server):
    return client_with(
        RATELIMIT_ENABLED=True, RATELIMIT_PASSWORD_RESET="2 per minute", **smtp_server.config
    )


def test_asking_is_rate_limited_per_address(limited, mailbox):
    answers = [_ask(limited, f"someone{n}@example.org").status_code for n in range(3)]
    assert answers == [202, 202, 429]


def test_a_member_gets_at_most_three_reset_emails_an_hour_however_many_ask(client, mailbox):
    user = make_user()

    answers = {_ask(client, user.email).status_code for _ in range(5)}

    assert answers == {202}
    assert len(mailbox.to(user.email)) == email_accounts.RESETS_PER_HOUR == 3


def test_a_reset_link_sent_to_the_old_address_stops_working_once_the_address_changes(
    client, login, mailbox
):
    """A member who moves away from an address (a mailbox they lost, say) leaves no way in
    through a reset link mailed there."""
    user = make_user()
    old_link = _reset_link(client, mailbox, user)
    login(user)
    page = client.get("/settings")
    client.post(
        "/settings/email",
        data={
            "csrf_token": csrf_token(page),
            "email": "moved@example.org",
            "current_password": PASSWORD,
        },
    )
    (mail,) = mailbox.to("moved@example.org")
    client.get(path_of(mail.link("/email/confirm/")))
    assert fresh(User, user.id).email == "moved@example.org"

    assert client.get(old_link).status_code == 404
    assert _set_password(client, old_link).status_code == 404


def test_a_queue_that_is_down_answers_the_same_202_for_a_known_address(client, monkeypatch):
    """Known and unknown addresses must answer alike even when the queue fails: a 500 for
    known ones only would tell anyone which addresses have accounts."""
    user = make_user()

    def broken(self, *args, **kwargs):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(Task, "enqueue", broken)
    known = _ask(client, user.email)
    unknown = _ask(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 202
    assert known.json == unknown.json


def test_a_link_used_in_two_tabs_at_once_sets_one_password(client, mailbox, monkeypatch):
    """Used once means once even when two requests use the link at the same moment: the one
    that comes second is refused, and the password is the first one's."""
    user = make_user()
    secret = _reset_link(client, mailbox, user).rsplit("/", 1)[1]
    real = email_accounts.generate_password_hash

    def meanwhile_the_other_tab(password):
        monkeypatch.setattr(email_accounts, "generate_password_hash", real)
        email_accounts.reset_password(secret, "the other tab's password")
        return real(password)

    monkeypatch.setattr(email_accounts, "generate_password_hash", meanwhile_the_other_tab)
    with pytest.raises(Invalid):
        email_accounts.reset_password(secret, NEW_PASSWORD)

    assert check_password_hash(fresh(User, user.id).password_hash, "the other tab's password")
