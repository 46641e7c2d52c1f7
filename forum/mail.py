"""Email: Flask-Mail to the configured SMTP server, or .eml files when none is configured.

Every email goes through `send_once(key, to, subject, text, html=None, unsubscribe_url=None)`:

- `key` names the email for good ("email-token:12", "digest:weekly:2026-12-07:member:5"): its
  Message-ID is derived from it, and a `sent_mail` row claims it, committed before the message
  is handed to the server. A task retried after a crash or a kill finds the claim and sends
  nothing again (at most once: a kill in the instant between the claim and the server's answer
  loses that one email rather than risk sending it twice; the row stays "sending"). An error
  from the server releases the claim and is raised, so the task is tried again.
  `send_batch(emails)` does the same for many emails (digests): their keys claimed in one
  transaction, the messages sent over one connection, then marked sent in one transaction. A
  kill while a batch is sent loses what of that batch was not sent yet (its rows stay
  "sending"), never sends anything twice.
- `text` is the plain-text part, written as Markdown; the HTML part is that text rendered by
  the project's Markdown renderer and sanitizer (forum/rendering.py) unless `html` is given,
  which is sanitized the same way.
- `unsubscribe_url` (notification emails and digests): a footer link and the RFC 8058 headers
  `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.

send_once and send_batch commit the session (forum/services/sent_mail.py): call them with
nothing of your own pending. Links in emails are built with `email_url`, on FORUM_BASE_URL,
never on a request's Host.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.generator import BytesGenerator
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_mail import Mail, Message, sanitize_address, sanitize_subject

from forum.rendering import render_markdown, sanitize_html
from forum.services import sent_mail
from forum.urls import public_url

mail = Mail()
# Where email links point when neither FORUM_BASE_URL nor SERVER_NAME is set: `make run`.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def init_app(app: Flask) -> None:
    mail.init_app(app)
    if not app.config.get("MAIL_DIR"):
        app.config["MAIL_DIR"] = str(Path(app.instance_path) / "mail")
    if app.config["ENV"] == "production" and not app.config.get("BASE_URL"):
        app.logger.warning("FORUM_BASE_URL is not set: links in emails will not reach the site.")


def email_url(endpoint: str, **values) -> str:
    """An absolute link for an email: on FORUM_BASE_URL (else SERVER_NAME, else the development
    server's address), whatever request, if any, is being answered."""
    config = current_app.config
    if config.get("BASE_URL") or config.get("SERVER_NAME"):
        return public_url(endpoint, **values)
    adapter = current_app.url_map.bind(urlsplit(DEVELOPMENT_BASE_URL).netloc, url_scheme="http")
    return adapter.build(endpoint, values, force_external=True)


def message_id(key: str) -> str:
    """The Message-ID of the email named `key`: the same on every attempt, and keyed with the
    site's secret, so another site (or this one, its database started afresh) using the same
    key never makes a mail client drop a new email as one it has seen."""
    config = current_app.config
    base = config.get("BASE_URL") or config.get("SERVER_NAME") or DEVELOPMENT_BASE_URL
    domain = urlsplit(base if "//" in base else f"//{base}").hostname or "localhost"
    digest = hmac.new(str(config["SECRET_KEY"]).encode(), key.encode(), hashlib.sha256)
    return f"<{digest.hexdigest()[:40]}@{domain}>"


def html_part(text: str, unsubscribe_url: str | None = None, html: str | None = None) -> str:
    """The HTML part: `html`, or `text` read as Markdown, sanitized, in the email layout."""
    body = sanitize_html(html) if html is not None else render_markdown(text)
    return render_email("email/layout.html", body=body, unsubscribe_url=unsubscribe_url)


def render_email(template: str, **context) -> str:
    """A template of an email (templates/email/), rendered with `context` alone: a worker has no
    request, and nothing of whoever is signed in belongs in an email."""
    return current_app.jinja_env.get_template(template).render(**context)


@dataclass(frozen=True)
class Email:
    """One email for `send_batch`: the arguments of `send_once`."""

    key: str
    to: str
    subject: str
    text: str
    html: str | None = None
    unsubscribe_url: str | None = None


def send_once(
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    unsubscribe_url: str | None = None,
) -> bool:
    """Send this email unless `key` was sent (or claimed) before: True when sent now."""
    return bool(send_batch([Email(key, to, subject, text, html, unsubscribe_url)]))


def send_batch(emails: Sequence[Email]) -> set[str]:
    """Send each email whose key was not sent (or claimed) before, claiming them all in one
    transaction and sending them over one connection: the keys sent now. An error from the
    server marks those sent before it as sent, releases the rest and is raised."""
    rows = [
        {"key": e.key, "message_id": message_id(e.key), "recipient": e.to, "subject": e.subject}
        for e in emails
    ]
    claimed = sent_mail.claim(rows)
    ids = {row["key"]: row["message_id"] for row in rows}
    todo = [e for e in dict((e.key, e) for e in emails).values() if e.key in claimed]
    sent: list[str] = []
    try:
        with _transport() as deliver:
            for email in todo:
                deliver(_message(email, ids[email.key]))
                sent.append(email.key)
    except Exception:
        sent_mail.mark_sent(sent)
        sent_mail.release([e.key for e in todo if e.key not in set(sent)])
        raise
    sent_mail.mark_sent(sent)
    return set(sent)


class _Message(Message):
    """A Flask-Mail message written with the standard library's compat32 policy and a boundary
    of its own: Flask-Mail's own writing (policy.SMTP's header registry, a boundary searched
    for in the text) cost more than everything else in an email. Same parts, same headers."""

    def as_bytes(self) -> bytes:
        if self.date is None:
            self.date = time.time()
        root = MIMEMultipart("alternative", boundary=f"=={secrets.token_hex(16)}==")
        root.attach(MIMEText(self.body, "plain", "utf-8"))
        root.attach(MIMEText(self.html, "html", "utf-8"))
        root["Subject"] = sanitize_subject(self.subject, "utf-8")
        root["From"] = sanitize_address(self.sender, "utf-8")
        root["To"] = ", ".join(sanitize_address(to, "utf-8") for to in self.recipients)
        root["Date"] = formatdate(self.date, localtime=True)
        root["Message-ID"] = self.msgId
        for name, value in (self.extra_headers or {}).items():
            root[name] = value
        out = BytesIO()
        BytesGenerator(out, mangle_from_=False, policy=_POLICY).flatten(root)
        return out.getvalue()


_POLICY = policy.compat32.clone(linesep="\r\n")


def _message(email: Email, msg_id: str) -> _Message:
    text = email.text
    if email.unsubscribe_url:
        text = f"{text.rstrip()}\n\n---\nNo more of these emails: <{email.unsubscribe_url}>\n"
    message = _Message(
        subject=email.subject,
        recipients=[email.to],
        body=text,
        html=html_part(text, email.unsubscribe_url, email.html),
        extra_headers=_unsubscribe_headers(email.unsubscribe_url),
    )
    message.msgId = msg_id
    return message


def _unsubscribe_headers(url: str | None) -> dict[str, str] | None:
    if not url:
        return None
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@contextmanager
def _transport() -> Iterator[Callable[[Message], None]]:
    """To the SMTP server over one connection; with none configured, to .eml files in MAIL_DIR.
    With MAIL_SUPPRESS_SEND (the tests), only Flask-Mail's record_messages sees them."""
    config = current_app.config
    if config.get("MAIL_SERVER") or current_app.extensions["mail"].suppress:
        with mail.connect() as connection:
            yield connection.send
        return
    yield _write


def _write(message: Message) -> None:
    """An .eml file in MAIL_DIR, for when no SMTP server is configured."""
    config = current_app.config
    message.date = time.time()
    folder = Path(config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{message.msgId.strip('<>').split('@')[0][:16]}"
    partial = folder / f".{name}.tmp"
    partial.write_bytes(message.as_bytes())
    os.replace(partial, folder / f"{name}.eml")  # a reader never sees half a message
