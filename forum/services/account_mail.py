"""The emails of accounts (a confirmation link, a password reset link), sent by the queue, the
answer to a password-reset asking, and the daily clean-up of what email leaves behind."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from forum.extensions import db
from forum.mail import render_email, send_once
from forum.models import User
from forum.models.mail import EmailToken, SentMail
from forum.periodic import daily, periodic
from forum.queue import task

# How long the record of a sent email is kept: a task retried later than this could send twice.
SENT_MAIL_KEPT = timedelta(days=90)


def _key(token: EmailToken) -> str:
    """The email's idempotency key: its link's digest, which no other link ever has (an id
    would come again in a database started afresh)."""
    return f"email-token:{token.token_hash[:32]}"


def _token_and_user(token_id: int) -> tuple[EmailToken, User] | None:
    token = db.session.get(EmailToken, token_id)
    if token is None or token.used_at is not None:
        return None  # used or superseded before the queue got to it: nothing to send
    return token, db.session.get(User, token.user_id)


@task("account_mail.confirmation")
def mail_confirmation(token_id: int, secret: str) -> None:
    """The link that confirms an address (registration, an email change, "send it again")."""
    from forum.services.email_accounts import CONFIRM_LIFETIME, confirm_link

    found = _token_and_user(token_id)
    if found is None:
        return
    token, user = found
    text = render_email(
        "email/confirm.txt",
        username=user.username,
        email=token.email,
        link=confirm_link(secret),
        days=CONFIRM_LIFETIME.days,
    )
    send_once(_key(token), token.email, "Confirm your email address", text)


@task("account_mail.reset_asked")
def reset_asked(email: str) -> None:
    """Someone asked for a password reset for this address: a link for its account, if any
    (queued so that the asking request does the same work for every address)."""
    from forum.services.email_accounts import answer_reset_request

    answer_reset_request(email)


@task("account_mail.password_reset")
def mail_password_reset(token_id: int, secret: str) -> None:
    """The link that sets a new password."""
    from forum.services.email_accounts import reset_link

    found = _token_and_user(token_id)
    if found is None:
        return
    token, user = found
    text = render_email("email/password_reset.txt", username=user.username, link=reset_link(secret))
    send_once(_key(token), token.email, "Set a new password", text)


@periodic("mail.forget", daily(hour=3))
def forget_old_mail(slot: datetime) -> None:
    """Links expired a day ago and records of email sent long ago are deleted."""
    db.session.execute(delete(EmailToken).where(EmailToken.expires_at < slot - timedelta(days=1)))
    db.session.execute(delete(SentMail).where(SentMail.created_at < slot - SENT_MAIL_KEPT))
    db.session.commit()
