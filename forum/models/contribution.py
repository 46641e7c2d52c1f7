"""Contributions: a member's experience under a prompt, with its rating counters and revisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.prompt import Prompt, Tag
from forum.models.types import UTCDateTime, utcnow
from forum.ranking import UNRATED_SCORE

# The orders of a prompt's contributions: most useful first, newest first, oldest first.
CONTRIBUTION_SORTS = ("useful", "newest", "oldest")
# Strategies across prompts: by usefulness, or proven in practice (services/strategies.py).
STRATEGY_SORTS = ("useful", "proven")

contribution_tags = Table(
    "contribution_tags",
    db.metadata,
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Contribution(db.Model):
    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    prompt_id: Mapped[int] = mapped_column(ForeignKey("prompts.id", ondelete="CASCADE"))
    key_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("key_points.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(60), default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="visible")
    featured: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    # Deleted by its author (not by a moderator): then only the author may restore it.
    deleted_by_author: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Rating histogram and its aggregates, changed only by SQL arithmetic (services/ratings.py).
    n1: Mapped[int] = mapped_column(default=0)
    n2: Mapped[int] = mapped_column(default=0)
    n3: Mapped[int] = mapped_column(default=0)
    n4: Mapped[int] = mapped_column(default=0)
    n5: Mapped[int] = mapped_column(default=0)
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_sum: Mapped[int] = mapped_column(default=0)
    score: Mapped[float] = mapped_column(default=UNRATED_SCORE)
    # Visible comments, changed only by SQL arithmetic (services/comments.py).
    comment_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # Outcomes reported by members who tried it, changed only by SQL arithmetic
    # (services/outcomes.py); `success` is their Wilson lower bound, None while nobody reported.
    outcome_worked: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    outcome_partly: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    outcome_didnt: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    outcome_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    success: Mapped[float | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    prompt: Mapped[Prompt] = relationship()
    author = relationship("User", lazy="joined")
    # Loaded for a whole page of contributions in one query, not one query per row.
    tags: Mapped[list[Tag]] = relationship(
        secondary=contribution_tags, order_by=Tag.name, lazy="selectin"
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="contribution", order_by="Revision.id", cascade="all, delete-orphan"
    )
    # Where an imported contribution came from (None for what members wrote here): at most one
    # row, read in the contributions' own statement.
    source = relationship("ImportedPost", uselist=False, viewonly=True, lazy="joined")

    __table_args__ = (
        # "Top N of a prompt" and "newest of a prompt" are index scans.
        Index("ix_contributions_prompt_useful", "prompt_id", "status", "score"),
        Index("ix_contributions_prompt_created", "prompt_id", "status", "created_at"),
        Index("ix_contributions_status_score", "status", "score"),
        Index("ix_contributions_author", "author_id", "status"),
    )

    @property
    def histogram(self) -> list[int]:
        return [self.n1, self.n2, self.n3, self.n4, self.n5]

    @property
    def average(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]


# Top strategies: the visible contributions with ratings, in the order the list shows them,
# with their prompt (for a topic's list): reading the list, counting it and filtering it by topic
# stay inside this index (unrated and hidden contributions are not in it at all).
Index(
    "ix_contributions_rated",
    Contribution.score.desc(),
    Contribution.rating_count.desc(),
    Contribution.id,
    Contribution.prompt_id,
    sqlite_where=text("status = 'visible' AND rating_count >= 1"),
    postgresql_where=text("status = 'visible' AND rating_count >= 1"),
)

# Proven in practice: visible contributions with at least three outcomes, by success.
Index(
    "ix_contributions_proven",
    Contribution.success.desc(),
    Contribution.outcome_count.desc(),
    Contribution.id,
    Contribution.prompt_id,
    sqlite_where=text("status = 'visible' AND outcome_count >= 3"),
    postgresql_where=text("status = 'visible' AND outcome_count >= 3"),
)

# Search's check of its hits: which candidates are hidden or deleted, from the few rows that
# are not visible instead of a table page per candidate (services/search.py).
Index(
    "ix_contributions_not_visible",
    Contribution.id,
    sqlite_where=text("status <> 'visible'"),
    postgresql_where=text("status <> 'visible'"),
)


class Revision(db.Model):
    """The body as it was before an edit."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    editor_name: Mapped[str] = mapped_column(String(60), default="")
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a moderator removed this revision's text for good (the body is then empty).
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contribution: Mapped[Contribution] = relationship(back_populates="revisions")

    @property
    def redacted(self) -> bool:
        return self.redacted_at is not None


@dataclass(frozen=True)
class ContributionView:
    """A contribution as one reader sees it: the row, the reader's own rating of it, and whether
    the listing it appears in placed it in the fair-exposure slot. What services hand to the
    schemas; a bare row is nobody's view (no rating of one's own, not new)."""

    contribution: Contribution
    my_rating: int | None = None
    is_new: bool = False
    # What the reader reported when they tried it (worked, partly, didnt), or None.
    my_outcome: str | None = None
    # Its outcomes split by setting, read for the whole page at once (services/outcomes.py
    # `by_setting`); None: not read, the schema reads it for this row alone.
    outcomes_by_setting: dict | None = None
