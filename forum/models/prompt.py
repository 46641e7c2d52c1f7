"""Prompts (the threads), their key points, tags and "helpful" ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.topic import Topic
from forum.models.types import UTCDateTime, utcnow

PROMPT_STATUSES = ("open", "locked", "archived")
# The orders of a list of prompts: recent activity, newest, most helpful.
PROMPT_SORTS = ("active", "newest", "top")


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


prompt_tags = Table(
    "prompt_tags",
    db.metadata,
    Column("prompt_id", ForeignKey("prompts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Prompt(db.Model):
    __tablename__ = "prompts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Shown when the author's account is gone: content survives its author.
    author_name: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    contribution_count: Mapped[int] = mapped_column(default=0)
    helpful_yes: Mapped[int] = mapped_column(default=0)
    helpful_no: Mapped[int] = mapped_column(default=0)
    helpful_score: Mapped[float] = mapped_column(default=0.0)
    # Moves on every change to what the prompt page shows (services/versions.py).
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
    author = relationship("User", lazy="joined")
    key_points: Mapped[list[KeyPoint]] = relationship(
        back_populates="prompt",
        order_by="KeyPoint.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    tags: Mapped[list[Tag]] = relationship(
        secondary=prompt_tags, order_by=Tag.name, lazy="selectin"
    )
    # Where an imported prompt came from (None for prompts written here): at most one row, read
    # in the prompt's own statement.
    source = relationship("ImportedPost", uselist=False, viewonly=True, lazy="joined")

    __table_args__ = (
        Index("ix_prompts_last_activity_at", "last_activity_at"),
        Index("ix_prompts_helpful_score", "helpful_score"),
    )

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]


class KeyPoint(db.Model):
    __tablename__ = "key_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")

    prompt: Mapped[Prompt] = relationship(back_populates="key_points")


class PromptRating(db.Model):
    """A member's "helpful / not helpful" on a prompt."""

    __tablename__ = "prompt_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    helpful: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "prompt_id"),)


class RelatedReading(db.Model):
    """The prompts listed under a prompt as more relevant reading, best first, as the search
    engine last found them (forum/services/related.py): kept, since asking the engine costs
    more than the rest of the page."""

    __tablename__ = "related_reading"

    prompt_id: Mapped[int] = mapped_column(
        ForeignKey("prompts.id", ondelete="CASCADE"), primary_key=True
    )
    # The related prompts' ids, comma-separated, best first.
    prompt_ids: Mapped[str] = mapped_column(Text, default="")
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass(frozen=True)
class PromptView:
    """A prompt as one reader sees it: the row and the reader's own helpful / not helpful vote
    (None when they have not voted). A bare row is nobody's view."""

    prompt: Prompt
    my_rating: bool | None = None
