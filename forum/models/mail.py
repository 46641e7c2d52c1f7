"""Email tokens (confirmation, password reset) and the record of every email sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow

TOKEN_PURPOSES = ("confirm", "reset")


class EmailToken(db.Model):
    """A link mailed to an address: only the SHA-256 digest of its secret is kept. `email` is
    the address it was sent to (for a confirmation, the address being confirmed, which becomes
    the member's address when it is a change). Used once, then `used_at` is set."""

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SentMail(db.Model):
    """One email per idempotency key: the row is written (and committed) before the message is
    handed to the SMTP server, so a retried task finds it and sends nothing again."""

    __tablename__ = "sent_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(255))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    # "sending" from the claim until the server accepted it, then "sent".
    status: Mapped[str] = mapped_column(String(16), default="sending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
