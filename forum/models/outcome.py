"""Outcomes and the playbook: what happened when a member tried a strategy, and the strategies a
member saved to try, each with a reminder date that brings a check-in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow

# What happened: it worked, it partly worked, it did not.
RESULTS = ("worked", "partly", "didnt")
# Where it was tried (optional).
SETTINGS = ("one_to_one", "group", "team", "other")
NOTE_MAX = 1000
# The playbook's reminder: days from saving, by default and at most.
REMIND_DEFAULT_DAYS = 14
REMIND_MIN_DAYS, REMIND_MAX_DAYS = 1, 90


class Outcome(db.Model):
    """One member's report of trying one contribution's strategy (one per member per
    contribution). The note is private: its author, the contribution's author and moderators."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    result: Mapped[str] = mapped_column(String(8))
    setting: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "contribution_id"),)


class SavedStrategy(db.Model):
    """A contribution in a member's playbook: saved to try, with the date of its check-in.
    `checkin_at` is when the check-in notification was raised (None: not yet)."""

    __tablename__ = "saved_strategies"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("user_id", "contribution_id"),
        # The playbook page, newest first.
        Index("ix_saved_strategies_user", "user_id", "saved_at"),
        # The periodic check-in: only the reminders not raised yet are in it.
        Index(
            "ix_saved_strategies_due",
            "remind_at",
            sqlite_where=text("checkin_at IS NULL"),
            postgresql_where=text("checkin_at IS NULL"),
        ),
    )
