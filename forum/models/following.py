"""Following and notifications: what a member watches or mutes, what happened (one event per
write), and what reached each member (a notification per member per event)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow

# What a member may follow. `contribution` is kept for its author and its commenters (comments
# on it reach them); the API accepts it too, so a member can mute one conversation.
TARGET_TYPES = ("prompt", "key_point", "topic", "tag", "user", "contribution")
LEVELS = ("watching", "muted")
# What an event is: a new contribution or comment, an edit that mentions someone new, a
# moderator's act on a member's content, an outcome reported on a strategy, or a saved strategy's
# check-in date reached with no outcome.
EVENT_KINDS = (
    "contribution",
    "comment",
    "mention",
    "hide",
    "restore",
    "feature",
    "outcome",
    "checkin",
)
NOTIFICATION_KINDS = ("contribution", "comment", "mention", "moderation", "outcome", "checkin")


class Subscription(db.Model):
    """One member's watch (or mute) of one target; `target_id` is the id of the prompt, key
    point, topic, tag, user or contribution."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column()
    level: Mapped[str] = mapped_column(String(8), default="watching")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id"),
        # Fan-out: who watches this target.
        Index("ix_subscriptions_target", "target_type", "target_id", "level", "user_id"),
    )


class NotificationEvent(db.Model):
    """Something happened that members may hear of, written in the writing transaction; the
    worker claims it (`claimed_by`, `claimed_at`: a lease), turns it into notifications and
    marks it `delivered_at`, in transactions of its own."""

    __tablename__ = "notification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE")
    )
    # The comment (no foreign key: comments live in a table of their own migration).
    comment_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # The worker's queue: only the events not delivered yet are in it.
        Index(
            "ix_notification_events_pending",
            "id",
            sqlite_where=text("delivered_at IS NULL"),
            postgresql_where=text("delivered_at IS NULL"),
        ),
        Index("ix_notification_events_contribution", "contribution_id"),
    )


class Notification(db.Model):
    """What reached one member: one per member per event, whatever led to it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(
        ForeignKey("notification_events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # Once per member per event: a retried or concurrent delivery never notifies twice.
        UniqueConstraint("user_id", "event_id"),
        # The inbox, newest first; the unread ones.
        Index("ix_notifications_user", "user_id", "id"),
        Index(
            "ix_notifications_unread",
            "user_id",
            "id",
            sqlite_where=text("read_at IS NULL"),
            postgresql_where=text("read_at IS NULL"),
        ),
    )
