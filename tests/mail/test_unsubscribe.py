"""Notification emails carry a one-click unsubscribe (RFC 8058) that works without signing in."""

from __future__ import annotations

from forum.mail import send_once
from forum.models import User
from forum.services import email_accounts
from tests.factories import auth, make_user
from tests.helpers import fresh, page_text
from tests.mail.conftest import path_of


def _notification(user):
    send_once(
        f"test-notification:{user.id}",
        user.email,
        "A new contribution where you watch",
        "Someone shared what worked for them.",
        unsubscribe_url=email_accounts.unsubscribe_url(user),
    )


def test_a_notification_email_carries_the_unsubscribe_link_and_headers(app, mailbox):
    user = make_user()
    _notification(user)

    (mail,) = mailbox.to(user.email)
    link = mail.link("/email/unsubscribe/")
    assert mail["List-Unsubscribe"] == f"<{link}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{link}"' in mail.html
    assert link.startswith("http://forum.test/")  # the configured address, never a request's


def test_the_link_shows_a_confirmation_page_then_unsubscribes_without_signing_in(client, mailbox):
    user = make_user()
    _notification(user)
    path = path_of(mailbox.to(user.email)[0].link("/email/unsubscribe/"))

    page = client.get(path)
    assert page.status_code == 200
    assert "Unsubscribe from Commonplace emails?" in page_text(page)
    assert fresh(User, user.id).email_notifications == "immediately"  # a GET changes nothing

    done = client.post(path)

    assert done.status_code == 200
    assert "You are unsubscribed" in page_text(done)
    me = client.get("/api/v1/me", headers=auth(user)).json
    assert (me["email_notifications"], me["digest"]) == ("off", "off")


def test_a_mail_client_unsubscribes_with_one_click(client, mailbox):
    user = make_user()
    _notification(user)
    path = path_of(mailbox.to(user.email)[0].link("/email/unsubscribe/"))

    response = client.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert fresh(User, user.id).email_notifications == "off"
    assert fresh(User, user.id).digest == "off"


def test_a_forged_link_unsubscribes_nobody(client):
    user = make_user()
    forged = email_accounts.unsubscribe_url(user)[:-3] + "abc"

    assert client.post(path_of(forged)).status_code == 404
    assert fresh(User, user.id).email_notifications == "immediately"


def test_one_click_needs_no_form_token_where_every_form_needs_one(client_with, smtp_server):
    client = client_with(WTF_CSRF_ENABLED=True, **smtp_server.config)
    with client.application.app_context():
        user = make_user()
        path = path_of(email_accounts.unsubscribe_url(user))
        user_id = user.id

    response = client.post(path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    with client.application.app_context():
        assert fresh(User, user_id).email_notifications == "off"
        assert client.post("/password-reset", data={"email": "a@b.org"}).status_code == 400
