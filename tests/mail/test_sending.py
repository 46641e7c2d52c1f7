"""Every email is sent once per key, with a plain-text and an HTML part; with no SMTP server
configured it is an .eml file in the mail folder."""

from __future__ import annotations

import email
import email.policy

import pytest

from forum.extensions import db
from forum.mail import message_id as derived
from forum.mail import send_once
from forum.models.mail import SentMail
from tests.factories import make_user


def test_the_same_key_is_sent_once(app, mailbox):
    first = send_once("welcome:1", "ada@example.org", "Hello", "Once.")
    second = send_once("welcome:1", "ada@example.org", "Hello", "Once.")

    assert (first, second) == (True, False)
    (mail,) = mailbox.to("ada@example.org")
    assert mail.text.strip() == "Once." and "<p>Once.</p>" in mail.html


def test_a_retry_after_a_kill_past_the_claim_sends_nothing_again(app, mailbox):
    """A worker killed after the claim was committed (the server may have the message): the
    retried task finds the claim and sends nothing."""
    db.session.add(SentMail(key="digest:1", message_id="<x@y>", recipient="a@b.org", subject="s"))
    db.session.commit()

    assert send_once("digest:1", "ada@example.org", "Digest", "Twice?") is False
    assert len(mailbox) == 0


def test_the_message_id_is_the_same_for_the_same_key(app, mailbox):
    send_once("same:1", "ada@example.org", "Hello", "Text")
    message_id = mailbox.to("ada@example.org")[0]["Message-ID"]

    assert message_id == derived("same:1") != derived("same:2")


def test_an_unreachable_server_releases_the_claim_so_the_retry_sends(client_with, smtp_server):
    client = client_with(**{**smtp_server.config, "MAIL_PORT": 1})
    smtp_server.mailbox.clear()
    with client.application.app_context():
        with pytest.raises(OSError):
            send_once("retry:1", "ada@example.org", "Hello", "Text")
        client.application.extensions["mail"].port = smtp_server.port  # the server is back

        assert send_once("retry:1", "ada@example.org", "Hello", "Text") is True
    assert len(smtp_server.mailbox.to("ada@example.org")) == 1


def test_html_in_the_text_is_never_markup_in_the_html_part(app, mailbox):
    send_once(
        "xss:1", "ada@example.org", "Hi", "Look <script>alert(1)</script> [x](javascript:alert(1))"
    )

    (mail,) = mailbox.to("ada@example.org")
    assert "<script>" not in mail.html
    assert 'href="javascript:' not in mail.html and "[x](javascript:alert(1))" in mail.html


def test_without_a_server_each_email_is_an_eml_file(client_with, tmp_path):
    client = client_with(
        MAIL_SERVER=None, MAIL_SUPPRESS_SEND=False, MAIL_DIR=str(tmp_path / "mail")
    )
    with client.application.app_context():
        address = make_user().email
        send_once("file:1", address, "Hello", "In a file.")

    (written,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"] == address
    assert message.get_body(("plain",)).get_content().strip() == "In a file."
    assert "<p>In a file.</p>" in message.get_body(("html",)).get_content()


def test_a_batch_the_server_stops_midway_keeps_what_went_and_sends_the_rest_on_retry(
    app, mailbox, monkeypatch
):
    """send_batch: the keys claimed together, the messages over one connection; the server
    failing at the second email marks the first sent and releases the others, so the retry
    sends each of them once and the first not again."""
    import flask_mail

    from forum.mail import Email, send_batch

    batch = [Email(f"batch:{n}", f"m{n}@example.org", "News", f"Number {n}.") for n in range(3)]
    real_send, calls = flask_mail.Connection.send, []

    def failing_second(connection, message, *args, **kwargs):
        calls.append(message)
        if len(calls) == 2:
            raise OSError("connection lost")
        return real_send(connection, message, *args, **kwargs)

    monkeypatch.setattr(flask_mail.Connection, "send", failing_second)
    with pytest.raises(OSError):
        send_batch(batch)
    statuses = dict(db.session.execute(db.select(SentMail.key, SentMail.status)).all())
    assert statuses == {"batch:0": "sent"}
    monkeypatch.setattr(flask_mail.Connection, "send", real_send)

    assert send_batch(batch) == {"batch:1", "batch:2"}
    assert send_batch(batch) == set()
    for n in range(3):
        (mail,) = mailbox.to(f"m{n}@example.org")
        assert mail.text.strip() == f"Number {n}."
