"""Accounts by email: confirming an address (at registration and on a change), resetting a
forgotten password, and unsubscribing from a link without signing in.

Links carry a random secret; only its SHA-256 digest is stored (email_tokens), with the address
it was sent to, an expiry, and the time it was used: each works once. The emails themselves are
written by tasks (forum/services/account_mail.py), on the queue, after the token is committed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.mail import email_url
from forum.models import ApiToken, User
from forum.models.mail import EmailToken
from forum.models.types import utcnow
from forum.services import account_mail
from forum.services.accounts import EMAIL, MIN_PASSWORD
from forum.services.errors import Conflict, Invalid, invalid

CONFIRM_LIFETIME = timedelta(days=3)
RESET_LIFETIME = timedelta(hours=1)
# Reset emails one account receives in an hour, however many addresses ask: nobody fills a
# member's mailbox by asking from many places.
RESETS_PER_HOUR = 3
# Confirmation links one account sends in an hour ("send it again", address changes): nobody
# fills a mailbox by registering with its address and pressing the button.
CONFIRMATIONS_PER_HOUR = 3
CONFIRMATIONS_SPENT = "Several links were sent this hour: open the latest, or try again in an hour."


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _issue(user: User, purpose: str, email: str, lifetime: timedelta) -> tuple[EmailToken, str]:
    secret = secrets.token_urlsafe(32)
    token = EmailToken(
        user_id=user.id,
        purpose=purpose,
        token_hash=_digest(secret),
        email=email,
        expires_at=utcnow() + lifetime,
    )
    db.session.add(token)
    return token, secret


def _queue(job, *args) -> None:
    """Queue an account email (or a password-reset asking). A queue that fails never fails the
    request: a 500 for known addresses alone would tell a password-reset asker which addresses
    have accounts. It is logged; the member asks for the link again."""
    try:
        job.enqueue(*args)
    except Exception:  # noqa: BLE001 - whatever the queue's storage raises
        current_app.logger.exception("Could not queue %s", job)


def _valid(purpose: str, secret: str) -> EmailToken | None:
    """The unused, unexpired token of this purpose whose secret this is."""
    if not secret or len(secret) > 200:
        return None
    digest = _digest(secret)
    token = db.session.scalar(select(EmailToken).where(EmailToken.token_hash == digest))
    if (
        token is None
        or token.purpose != purpose
        or not hmac.compare_digest(token.token_hash, digest)
    ):
        return None
    if token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


# --- confirming an address ------------------------------------------------------------------


def send_confirmation(user: User, email: str | None = None) -> bool:
    """Mail a confirmation link to `email` (the member's own address by default); False (and
    nothing sent) when the account sent CONFIRMATIONS_PER_HOUR within the hour."""
    if _sent_last_hour(user, "confirm") >= CONFIRMATIONS_PER_HOUR:
        return False
    token, secret = _issue(user, "confirm", email or user.email, CONFIRM_LIFETIME)
    db.session.commit()
    _queue(account_mail.mail_confirmation, token.id, secret)
    return True


def confirm_link(secret: str) -> str:
    return email_url("email_links.confirm", token=secret)


def confirm_email(secret: str) -> User | None:
    """Confirm the address the link was sent to; it becomes the member's address if it was a
    change. None when the link is unknown, used or expired."""
    token = _valid("confirm", secret)
    if token is None:
        return None
    user = db.session.get(User, token.user_id)
    if token.email.lower() != user.email.lower():
        if _address_taken(token.email, user):
            raise Conflict("Another account uses that address now: it cannot be yours.")
        user.email = token.email
        # A reset link mailed to the old address no longer opens the account.
        _use_all(user, "reset")
    user.email_confirmed_at = utcnow()
    _use_all(user, "confirm")
    db.session.commit()
    return user


def _address_taken(email: str, user: User | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.lower())
    if user is not None:
        query = query.where(User.id != user.id)
    return db.session.scalar(query) is not None


def _use_all(user: User, purpose: str) -> None:
    """Every open link of this purpose stops working (one was used, or they are superseded)."""
    db.session.execute(
        update(EmailToken)
        .where(
            EmailToken.user_id == user.id,
            EmailToken.purpose == purpose,
            EmailToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )


def change_email(user: User, password: str, new_email: str) -> None:
    """Ask to move the account to `new_email`: the address changes once the link mailed there
    is opened; until then the old one stays."""
    if not check_password_hash(user.password_hash, password or ""):
        raise invalid("current_password", "That is not your current password.")
    new_email = (new_email or "").strip()
    if not EMAIL.match(new_email) or len(new_email) > 254:
        raise invalid("email", "Enter a valid email address.")
    if new_email.lower() == user.email.lower():
        raise invalid("email", "That is already your address.")
    if _address_taken(new_email, user):
        raise invalid("email", "That email address cannot be used.")
    if _sent_last_hour(user, "confirm") >= CONFIRMATIONS_PER_HOUR:
        raise invalid("email", CONFIRMATIONS_SPENT)
    _use_all(user, "confirm")
    send_confirmation(user, new_email)


# --- a forgotten password -------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link to the account using this address, if there is one. The caller answers
    the same either way, and the request does the same work either way: it only queues the
    asking, and the worker looks the address up (answer_reset_request). A request that looked it
    up itself, and wrote a link for a known address, took longer for one: timing it told anyone
    which addresses have accounts."""
    email = (email or "").strip()
    if not EMAIL.match(email) or len(email) > 254 or "\x00" in email:
        return
    _queue(account_mail.reset_asked, email)


def answer_reset_request(email: str) -> None:
    """In the worker: a reset link for the account using this address, if there is one and it
    has not had RESETS_PER_HOUR this hour, then its email queued."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None or _sent_last_hour(user, "reset") >= RESETS_PER_HOUR:
        return
    token, secret = _issue(user, "reset", user.email, RESET_LIFETIME)
    db.session.commit()
    _queue(account_mail.mail_password_reset, token.id, secret)


def _sent_last_hour(user: User, purpose: str) -> int:
    since = utcnow() - timedelta(hours=1)
    return db.session.scalar(
        select(func.count(EmailToken.id)).where(
            EmailToken.user_id == user.id,
            EmailToken.purpose == purpose,
            EmailToken.created_at > since,
        )
    )


def reset_link(secret: str) -> str:
    return email_url("email_links.reset_password", token=secret)


def reset_token(secret: str) -> EmailToken | None:
    """The reset link's token while it can still be used."""
    return _valid("reset", secret)


def reset_password(secret: str, new_password: str) -> User:
    """Set a new password from a reset link; every session and API token of the member ends.
    The link proved the member reads that address, so it counts as confirmed."""
    token = _valid("reset", secret)
    if token is None:
        raise Invalid("This link has expired or was already used: ask for a new one.")
    if len(new_password or "") < MIN_PASSWORD:
        raise invalid("new_password", f"Use at least {MIN_PASSWORD} characters.")
    if len(new_password) > 1000:
        raise invalid("new_password", "Use at most 1000 characters.")
    hashed = generate_password_hash(new_password)
    # The link is spent here, in one statement: of two requests using it at once, the second
    # finds it used (and waits for the first on PostgreSQL's row lock).
    spent = db.session.execute(
        update(EmailToken)
        .where(EmailToken.id == token.id, EmailToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if not spent.rowcount:
        db.session.rollback()
        raise Invalid("This link has expired or was already used: ask for a new one.")
    user = db.session.get(User, token.user_id)
    user.password_hash = hashed
    user.session_version += 1
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    if token.email.lower() == user.email.lower() and user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    _use_all(user, "reset")
    db.session.commit()
    return user


# --- unsubscribing --------------------------------------------------------------------------


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_url(user: User) -> str:
    """The link in every notification email and digest: it works without signing in, for
    good (a GET shows a confirmation page, a POST, also RFC 8058's one-click, unsubscribes)."""
    return email_url("email_links.unsubscribe", token=_signer().dumps(user.id))


def unsubscriber(token: str) -> User | None:
    """The member an unsubscribe link was made for."""
    try:
        user_id = _signer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def unsubscribe(user: User) -> None:
    """No more notification emails and no digest (account emails still come)."""
    user.email_notifications = "off"
    user.digest = "off"
    db.session.commit()
