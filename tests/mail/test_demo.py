"""The demo community (`flask --app forum seed-demo`, run by `make run`): its members' addresses
are confirmed, `sam` signs in to an inbox with notifications in it, and sam's weekly digest is
an .eml file in the mail folder, as a newcomer finds it in instance/mail/."""

from __future__ import annotations

import email
import email.policy

import pytest

from forum.models import User
from forum.services import accounts
from tests.helpers import page_text


@pytest.fixture
def app_config_overrides(tmp_path):
    """No SMTP server: email is written as files (MAIL_DIR), as in development."""
    return {"MAIL_SUPPRESS_SEND": False, "MAIL_SERVER": None, "MAIL_DIR": str(tmp_path / "mail")}


def test_signing_in_as_sam_shows_an_inbox_with_notifications(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    client.post("/login", data={"username": "sam", "password": "demo-password"})

    text = page_text(client.get("/inbox"))

    assert "Kofi Mensah mentioned you on" in text
    assert "Priya Natarajan commented on a contribution to" in text
    assert "Tom Becker shared an experience on" in text


def test_the_demo_addresses_are_confirmed(app, runner):
    runner.invoke(args=["seed-demo"])
    assert all(user.email_confirmed for user in User.query.all())


def test_sams_weekly_digest_is_in_the_mail_folder_once(app, runner, tmp_path):
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])  # already there: nothing again

    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == accounts.find_user("sam").email
    assert message["Subject"] == "New this week in what you follow on Commonplace"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "What helps clients keep a new habit past the first month?" in body
    assert "**New:**" in body
