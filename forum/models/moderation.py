"""Flags raised by members and the moderators' audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow

FLAG_REASONS = ("spam", "abuse", "off_topic", "other")
FLAG_STATUSES = ("open", "resolved", "dismissed")
# A moderator's decision on a contribution's open flags (Flag.resolution).
FLAG_RESOLUTIONS = ("dismiss", "hide", "delete")
# What a flag is on; a comment's flag also names the comment's contribution.
FLAG_TARGETS = ("contribution", "comment")

OPEN_ON_CONTRIBUTION = "status = 'open' AND comment_id IS NULL"
OPEN_ON_COMMENT = "status = 'open' AND comment_id IS NOT NULL"


class Flag(db.Model):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(
        String(16), default="contribution", server_default="contribution"
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reporter_name: Mapped[str] = mapped_column(String(60), default="")
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str] = mapped_column(String(16), default="")
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    contribution = relationship("Contribution")
    comment = relationship("Comment")
    reporter = relationship("User", foreign_keys=[reporter_id])

    __table_args__ = (
        Index("ix_flags_status_created", "status", "created_at"),
        Index("ix_flags_contribution_status", "contribution_id", "status"),
        # A member's own open flags: those on a page's contributions (their marks on every
        # page they read); also their export, and forgetting them when the account goes.
        Index("ix_flags_reporter_open", "reporter_id", "status", "contribution_id"),
        # One open flag per member per contribution, however many requests race.
        Index(
            "uq_flags_open_per_reporter",
            "contribution_id",
            "reporter_id",
            unique=True,
            sqlite_where=text(OPEN_ON_CONTRIBUTION),
            postgresql_where=text(OPEN_ON_CONTRIBUTION),
        ),
        # And one per member per comment.
        Index(
            "uq_flags_open_per_reporter_comment",
            "comment_id",
            "reporter_id",
            unique=True,
            sqlite_where=text(OPEN_ON_COMMENT),
            postgresql_where=text(OPEN_ON_COMMENT),
        ),
    )


class ModerationAction(db.Model):
    """One line of the audit log. Written by services, never updated."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
