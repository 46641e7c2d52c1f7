"""Registering (on the API and the page) and changing the address send a link that confirms
the address when opened, without signing in."""

from __future__ import annotations

from forum.extensions import db
from forum.models import User
from forum.queue import Task
from tests.factories import PASSWORD, auth, make_user
from tests.helpers import csrf_token, fresh, page_text
from tests.mail.conftest import path_of

REMINDER = "Please confirm your email address"


def _register(client, username="newcoach"):
    return client.post(
        "/api/v1/auth/register",
        json={"username": username, "email": f"{username}@example.org", "password": PASSWORD},
    )


def test_registering_on_the_api_answers_201_and_mails_a_confirmation_link(client, mailbox):
    response = _register(client)

    assert response.status_code == 201
    assert response.json["username"] == "newcoach"
    (mail,) = mailbox.to("newcoach@example.org")
    assert mail.subject == "Confirm your email address"
    assert mail.text and mail.html
    link = mail.link("/email/confirm/")
    assert f'href="{link}"' in mail.html
    assert mail["Message-ID"].endswith("@forum.test>")


def test_the_link_confirms_the_address_once_without_signing_in(client, mailbox):
    _register(client)
    user = db.session.scalar(db.select(User).filter_by(username="newcoach"))
    assert client.get("/api/v1/me", headers=auth(user)).json["email_confirmed"] is False
    link = mailbox.to("newcoach@example.org")[0].link("/email/confirm/")

    opened = client.get(path_of(link))

    assert opened.status_code == 200
    assert "newcoach@example.org is confirmed" in page_text(opened)
    assert client.get("/api/v1/me", headers=auth(user)).json["email_confirmed"] is True
    again = client.get(path_of(link))
    assert again.status_code == 404
    assert "expired or was already used" in page_text(again)


def test_a_made_up_confirmation_link_confirms_nothing(client, mailbox):
    response = client.get("/email/confirm/not-a-real-token")
    assert response.status_code == 404


def test_registering_on_the_page_mails_the_link_and_pages_remind_until_it_is_opened(
    client, mailbox
):
    form = client.get("/register")
    client.post(
        "/register",
        data={
            "csrf_token": csrf_token(form),
            "username": "pagecoach",
            "email": "pagecoach@example.org",
            "password": PASSWORD,
        },
    )
    assert REMINDER in page_text(client.get("/"))
    link = mailbox.to("pagecoach@example.org")[0].link("/email/confirm/")

    client.get(path_of(link))

    assert REMINDER not in page_text(client.get("/"))
    assert REMINDER not in page_text(client.get("/settings"))


def test_readers_see_no_reminder(client):
    assert REMINDER not in page_text(client.get("/"))


def test_a_member_can_have_the_link_sent_again_from_the_settings(client, login, mailbox):
    user = make_user()
    login(user)
    page = client.get("/settings")
    assert "not confirmed yet" in page_text(page)

    client.post("/settings/email/confirmation", data={"csrf_token": csrf_token(page)})

    (mail,) = mailbox.to(user.email)
    client.get(path_of(mail.link("/email/confirm/")))
    assert fresh(User, user.id).email_confirmed_at is not None


def test_changing_the_address_asks_the_password_and_waits_for_the_new_address(
    client, login, mailbox
):
    user = make_user()
    login(user)
    page = client.get("/settings")
    wrong = client.post(
        "/settings/email",
        data={
            "csrf_token": csrf_token(page),
            "email": "moved@example.org",
            "current_password": "not the password",
        },
    )
    assert wrong.status_code == 422
    assert "not your current password" in page_text(wrong)
    assert mailbox.to("moved@example.org") == []

    client.post(
        "/settings/email",
        data={
            "csrf_token": csrf_token(page),
            "email": "moved@example.org",
            "current_password": PASSWORD,
        },
    )
    assert fresh(User, user.id).email == user.email  # not before the link is opened
    (mail,) = mailbox.to("moved@example.org")
    client.get(path_of(mail.link("/email/confirm/")))

    moved = fresh(User, user.id)
    assert moved.email == "moved@example.org"
    assert moved.email_confirmed_at is not None


def test_an_address_taken_meanwhile_is_not_moved_to(client, login, mailbox):
    user = make_user()
    login(user)
    page = client.get("/settings")
    client.post(
        "/settings/email",
        data={
            "csrf_token": csrf_token(page),
            "email": "late@example.org",
            "current_password": PASSWORD,
        },
    )
    make_user(username="late")  # registers late@example.org before the link is opened

    opened = client.get(path_of(mailbox.to("late@example.org")[0].link("/email/confirm/")))

    assert opened.status_code == 409
    assert fresh(User, user.id).email == user.email


def test_the_confirmation_task_run_again_after_a_crash_sends_nothing_again(app, mailbox):
    """The worker was killed after the email went out, before the queue knew: the retried task
    finds the email's record and the member still gets one email."""
    from forum.models.mail import EmailToken
    from forum.services import account_mail, email_accounts

    user = make_user()
    email_accounts.send_confirmation(user)
    token = db.session.scalar(db.select(EmailToken).filter_by(user_id=user.id))

    account_mail.mail_confirmation(token.id, "the-secret-the-queue-kept")

    assert len(mailbox.to(user.email)) == 1


def test_a_member_gets_at_most_three_confirmation_emails_an_hour(client, login, mailbox):
    """Registering with someone else's address and pressing "send again" must not fill that
    mailbox: the fourth link within an hour is refused, saying so."""
    user = make_user()
    login(user)
    page = client.get("/settings")
    for _ in range(5):
        answer = client.post(
            "/settings/email/confirmation",
            data={"csrf_token": csrf_token(page)},
            follow_redirects=True,
        )

    assert len(mailbox.to(user.email)) == 3
    assert "try again in an hour" in page_text(answer)


def test_changing_the_address_again_and_again_sends_at_most_three_links_an_hour(
    client, login, mailbox
):
    user = make_user()
    login(user)
    page = client.get("/settings")
    answers = [
        client.post(
            "/settings/email",
            data={
                "csrf_token": csrf_token(page),
                "email": "someone.else@example.org",
                "current_password": PASSWORD,
            },
        ).status_code
        for _ in range(5)
    ]

    assert answers == [302, 302, 302, 422, 422]
    assert len(mailbox.to("someone.else@example.org")) == 3


def test_registering_while_the_queue_is_down_still_answers_201(client, monkeypatch):
    """The account is made whatever the queue does; the member asks for the link again from
    the settings."""

    def broken(self, *args, **kwargs):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(Task, "enqueue", broken)
    response = _register(client)

    assert response.status_code == 201
    assert db.session.scalar(db.select(User).filter_by(username="newcoach")) is not None
