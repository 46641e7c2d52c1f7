"""What a member wrote that moderators hid, for the moderators reading that member's profile."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Comment, Contribution, User
from forum.permissions import can
from forum.services.errors import Forbidden

# The newest this many of each kind; the count says how many there are in all.
SHOWN = 20


@dataclass
class HiddenContent:
    contributions: list[Contribution]
    comments: list[Comment]
    contribution_count: int
    comment_count: int

    @property
    def total(self) -> int:
        return self.contribution_count + self.comment_count


def hidden_of(actor, user: User, shown: int = SHOWN) -> HiddenContent:
    """The member's hidden contributions and comments, newest first (moderators only)."""
    if not can(actor, "read_hidden"):
        raise Forbidden("Moderators only.")
    contributions = Contribution.author_id == user.id, Contribution.status == "hidden"
    comments = Comment.author_id == user.id, Comment.status == "hidden"
    return HiddenContent(
        contributions=list(
            db.session.scalars(
                select(Contribution)
                .options(selectinload(Contribution.prompt))
                .where(*contributions)
                .order_by(Contribution.id.desc())
                .limit(shown)
            ).unique()
        ),
        comments=list(
            db.session.scalars(
                select(Comment)
                .options(selectinload(Comment.contribution).selectinload(Contribution.prompt))
                .where(*comments)
                .order_by(Comment.id.desc())
                .limit(shown)
            ).unique()
        ),
        contribution_count=db.session.scalar(
            select(func.count(Contribution.id)).where(*contributions)
        )
        or 0,
        comment_count=db.session.scalar(select(func.count(Comment.id)).where(*comments)) or 0,
    )
