"""Helpers of the email suite: members whose address is confirmed, and the time a window of
notification emails has closed."""

from __future__ import annotations

from datetime import timedelta

from forum.extensions import db
from forum.models.types import utcnow
from tests.factories import make_user


def member(*, confirmed: bool = True, email_notifications: str = "immediately", digest="weekly"):
    """A member with these email settings (their address confirmed unless told otherwise)."""
    user = make_user()
    user.email_notifications, user.digest = email_notifications, digest
    user.email_confirmed_at = utcnow() if confirmed else None
    db.session.commit()
    return user


def windows_closed():
    """A time at which every notification delivered until now may be emailed."""
    return utcnow() + timedelta(minutes=10)
