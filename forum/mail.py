"""Email: Flask-Mail to the configured SMTP server, or .eml files when none is configured.

Every email goes through `send_once(key, to, subject, text, html=None, unsubscribe_url=None)`:

- `key` names the email for good ("email-token:12", "digest:weekly:2026-12-07:member:5"): its
  Message-ID is derived from it, and a `sent_mail` row claims it, committed before the message
  is handed to the server. A task retried after a crash or a kill finds the claim and sends
  nothing again (at most once: a kill in the instant between the claim and the server's answer
  loses that one email rather than risk sending it twice; the row stays "sending"). An error
  from the server releases the claim and is raised, so the task is tried again.
- `text` is the plain-text part, written as Markdown; the HTML part is that text rendered by
  the project's Markdown renderer and sanitizer (forum/rendering.py) unless `html` is given,
  which is sanitized the same way.
- `unsubscribe_url` (notification emails and digests): a footer link and the RFC 8058 headers
  `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.

send_once commits the session: call it with nothing of your own pending. Links in emails are
built with `email_url`, on FORUM_BASE_URL, never on a request's Host.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_mail import Mail, Message
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models.mail import SentMail
from forum.models.types import utcnow
from forum.rendering import render_markdown, sanitize_html
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


def send_once(
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    unsubscribe_url: str | None = None,
) -> bool:
    """Send this email unless `key` was sent (or claimed) before: True when sent now."""
    if db.session.scalar(select(SentMail.id).where(SentMail.key == key)) is not None:
        db.session.rollback()
        return False
    claim = SentMail(key=key, message_id=message_id(key), recipient=to, subject=subject[:200])
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:  # claimed meanwhile by another worker
        db.session.rollback()
        return False
    if unsubscribe_url:
        text = f"{text.rstrip()}\n\n---\nNo more of these emails: <{unsubscribe_url}>\n"
    message = Message(
        subject=subject,
        recipients=[to],
        body=text,
        html=html_part(text, unsubscribe_url, html),
        extra_headers=_unsubscribe_headers(unsubscribe_url),
    )
    message.msgId = claim.message_id
    try:
        _deliver(message)
    except Exception:
        db.session.rollback()
        db.session.execute(delete(SentMail).where(SentMail.key == key))
        db.session.commit()
        raise
    claim.status, claim.sent_at = "sent", utcnow()
    db.session.commit()
    return True


def _unsubscribe_headers(url: str | None) -> dict[str, str] | None:
    if not url:
        return None
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _deliver(message: Message) -> None:
    """To the SMTP server; with none configured, to an .eml file in MAIL_DIR. With
    MAIL_SUPPRESS_SEND (the tests), only Flask-Mail's record_messages sees it."""
    config = current_app.config
    if config.get("MAIL_SERVER") or current_app.extensions["mail"].suppress:
        mail.send(message)
        return
    message.date = time.time()
    folder = Path(config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{message.msgId.strip('<>').split('@')[0][:16]}"
    partial = folder / f".{name}.tmp"
    partial.write_bytes(message.as_bytes())
    os.replace(partial, folder / f"{name}.eml")  # a reader never sees half a message
