"""Purging a spammer: suspend the account and hide everything it still shows, in one go."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Comment, Contribution, User
from forum.services import audit, comment_moderation
from forum.services.moderation import apply_hide, apply_suspension


def purge(actor, user: User, reason) -> User:
    """Suspend `user` (no end date) and hide all their visible contributions and comments with
    `reason`.
    One transaction: every line of the audit log it writes lands together, or none does."""
    reason = apply_suspension(actor, user, reason, None, action="purge")
    visible = db.session.scalars(
        select(Contribution)
        .where(Contribution.author_id == user.id, Contribution.status == "visible")
        .order_by(Contribution.id)
    ).unique()
    hidden = 0
    for contribution in visible:
        apply_hide(actor, contribution, reason)
        hidden += 1
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user.id, Comment.status == "visible")
        .order_by(Comment.id)
    ).unique()
    hidden_comments = 0
    for comment in comments:
        comment_moderation.apply_hide(actor, comment, reason)
        hidden_comments += 1
    counts = f"{hidden} contributions, {hidden_comments} comments hidden"
    audit.record(actor, "purge", "user", user.id, f"{reason} ({counts})")
    db.session.commit()
    return user
