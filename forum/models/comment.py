"""Comments: short notes under a contribution (a question to its author, context, a counter)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow

# What a comment is for: asks the author to clarify, adds a detail, or tells a different experience.
COMMENT_KINDS = ("question", "context", "counter")
# At most this many characters of Markdown.
COMMENT_MAX_LENGTH = 2000


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The author's shown name when the comment was written: content survives its author.
    author_name: Mapped[str] = mapped_column(String(60), default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="question")
    # visible | hidden (a moderator) | deleted, as contributions.
    status: Mapped[str] = mapped_column(String(16), default="visible")
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    # Deleted by its author (not by a moderator): then only the author may restore it.
    deleted_by_author: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contribution = relationship("Contribution")
    author = relationship("User", lazy="joined")

    __table_args__ = (
        # A page's comments, oldest first, for many contributions at once.
        Index("ix_comments_contribution_status", "contribution_id", "status", "id"),
        # A member's comments (export, purge).
        Index("ix_comments_author", "author_id", "status"),
    )
