"""Members, their roles and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow
from forum.names import name_key
from forum.permissions import is_active

ROLES = ("member", "moderator", "admin")
# How a member hears of notifications by email, and how often a digest comes (docs/api.md).
EMAIL_NOTIFICATIONS = ("immediately", "digest", "off")
DIGESTS = ("daily", "weekly", "off")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(60))
    # Confusable-insensitive keys (Unicode TR39 skeletons, case-folded) of the username and the
    # display name: one member's display name may not look like another member's name.
    username_key: Mapped[str] = mapped_column(String(120), default="", index=True)
    display_key: Mapped[str] = mapped_column(String(240), default="", index=True)
    headline: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(16), default="member")
    status: Mapped[str] = mapped_column(String(16), default="active")
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspension_reason: Mapped[str] = mapped_column(String(500), default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped when the password changes or the account is suspended, so old sessions end.
    session_version: Mapped[int] = mapped_column(default=1)
    # None until the member opens the link mailed to the address (forum/services/email_accounts.py).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_notifications: Mapped[str] = mapped_column(
        String(16), default="immediately", server_default="immediately"
    )
    digest: Mapped[str] = mapped_column(String(16), default="weekly", server_default="weekly")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    __table_args__ = (
        Index("uq_users_username_lower", func.lower(username), unique=True),
        Index("uq_users_email_lower", func.lower(email), unique=True),
    )

    @validates("username", "display_name")
    def _keep_name_keys(self, attribute: str, value: str) -> str:
        """Whoever sets a name (registration, profile changes, the command line, tests), its
        confusable key follows."""
        key = name_key(value)
        if attribute == "username":
            self.username_key = key
        else:
            self.display_key = key
        return value

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_suspended(self) -> bool:
        """Suspended now: a suspension whose end has passed leaves an active member."""
        return not is_active(self)

    @property
    def status_now(self) -> str:
        """The status as profiles and exports show it: "active" once a suspension has ended."""
        return "suspended" if self.is_suspended else "active"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class ApiToken(db.Model):
    """A bearer token. Only its SHA-256 digest is stored; the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")
