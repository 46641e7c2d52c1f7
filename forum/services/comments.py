"""Comments: a member asks a contribution's author a question, adds context or a counter-
experience; the author or a moderator edits or deletes it. Lists for the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import aliased, joinedload

from forum.extensions import db
from forum.models import Comment, Contribution
from forum.models.comment import COMMENT_KINDS, COMMENT_MAX_LENGTH
from forum.models.types import utcnow
from forum.permissions import can
from forum.rendering import render_comment
from forum.services import audit
from forum.services.errors import Conflict, Forbidden, NotFound, invalid
from forum.services.mention_links import mention_links
from forum.services.paging import Page, paginate

# How many comments a card on the prompt page shows; the rest are a link away.
ON_CARD = 3


def clean_body(body) -> str:
    if not isinstance(body, str) or not body.strip():
        raise invalid("body", "Write something: the comment cannot be empty.")
    body = body.strip()
    limit = current_app.config.get("LIMIT_COMMENT", COMMENT_MAX_LENGTH)
    if len(body) > limit:
        raise invalid("body", f"Use at most {limit} characters (this has {len(body)}).")
    return body


def clean_kind(kind) -> str:
    if kind is None:
        return "question"
    if kind not in COMMENT_KINDS:
        raise invalid("kind", f"Kind is one of {', '.join(COMMENT_KINDS)}.")
    return kind


def _set_body(comment: Comment, body: str) -> None:
    comment.body = body
    comment.body_html = render_comment(body, mention_links(body))


def _require_open(contribution: Contribution) -> None:
    status = contribution.prompt.status
    if status != "open":
        raise Conflict(f"This prompt is {status}: it takes no new comments or edits.")


def create_comment(actor, contribution: Contribution, body, kind=None) -> Comment:
    """A member comments under a visible contribution of an open prompt."""
    if not can(actor, "comment"):
        raise Forbidden("Your account cannot comment right now.")
    if contribution.status != "visible":
        raise Conflict("This contribution is not shown: it takes no comments.")
    _require_open(contribution)
    kind, body = clean_kind(kind), clean_body(body)
    comment = Comment(
        contribution=contribution,
        author_id=actor.id,
        author_name=actor.display_name,
        kind=kind,
    )
    _set_body(comment, body)
    db.session.add(comment)
    _move_count(contribution.id, 1)
    db.session.commit()
    return comment


def edit_comment(actor, comment: Comment, body) -> Comment:
    """The author (while the prompt is open) or a moderator changes the text."""
    if not can(actor, "edit_comment", comment):
        raise Forbidden("Only the author or a moderator can edit this comment.")
    if not can(actor, "edit_prompt"):
        _require_open(comment.contribution)
    body = clean_body(body)
    if body != comment.body:
        _set_body(comment, body)
        comment.edited_at = utcnow()
        if actor.id != comment.author_id:
            audit.record(actor, "edit_comment", "comment", comment.id)
    db.session.commit()
    return comment


def delete_comment(actor, comment: Comment) -> None:
    """Soft delete: nobody sees it any more (a moderator's delete is logged)."""
    if not can(actor, "delete_comment", comment):
        raise Forbidden("Only the author or a moderator can delete this comment.")
    if comment.status == "deleted":
        return
    by_author = actor.id == comment.author_id
    set_status(comment, "deleted", by_author=by_author)
    if not by_author:
        audit.record(actor, "delete", "comment", comment.id)
    db.session.commit()


def set_status(comment: Comment, status: str, *, by_author: bool = False) -> None:
    """Change visibility and keep the contribution's count of visible comments (no commit)."""
    was_visible = comment.status == "visible"
    comment.status = status
    comment.deleted_by_author = status == "deleted" and by_author
    delta = (status == "visible") - was_visible
    if delta:
        _move_count(comment.contribution_id, delta)


def _move_count(contribution_id: int, delta: int) -> None:
    """SQL arithmetic in the writing transaction: no lost update when two comment at once."""
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution_id)
        .values(comment_count=Contribution.comment_count + delta)
    )


def is_author_of(user, comment_id: int) -> bool:
    """Whether `user` wrote this comment (False when there is no such comment)."""
    author_id = db.session.scalar(select(Comment.author_id).where(Comment.id == comment_id))
    return user is not None and author_id is not None and author_id == user.id


def get_comment(viewer, comment_id: int) -> Comment:
    """A comment the viewer may see, under a contribution they may see; else 404."""
    comment = db.session.get(Comment, comment_id, options=[joinedload(Comment.contribution)])
    if (
        comment is None
        or not can(viewer, "read_comment", comment)
        or not can(viewer, "read_contribution", comment.contribution)
    ):
        raise NotFound("No such comment.")
    return comment


def _shown_to(viewer, table=Comment):
    """Which comments a reader sees listed: the visible ones; a moderator also the hidden ones,
    an author also their own hidden ones. Never the deleted."""
    if viewer is None:
        return table.status == "visible"
    if can(viewer, "read_hidden"):
        return table.status.in_(("visible", "hidden"))
    own_hidden = and_(table.status == "hidden", table.author_id == viewer.id)
    return or_(table.status == "visible", own_hidden)


def list_for_contribution(viewer, contribution: Contribution, page=1, per_page=20) -> Page:
    """A page of the contribution's comments the viewer may see, oldest first."""
    if not can(viewer, "read_contribution", contribution):
        raise NotFound("No such contribution.")
    query = (
        select(Comment)
        .where(Comment.contribution_id == contribution.id, _shown_to(viewer))
        .order_by(Comment.id)
    )
    return paginate(query, page, per_page)


@dataclass(frozen=True)
class CardComments:
    """The first comments under one card and how many the card's reader may see in all."""

    items: list[Comment]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


NO_COMMENTS = CardComments([], 0)


def first_for_cards(contribution_ids: list[int], lister=None, limit: int = ON_CARD) -> dict:
    """contribution id -> CardComments: the first `limit` comments (oldest first) of each card
    that `lister` may see (None: visible ones), with the count of all of them, in ONE query
    however many cards the page has."""
    if not contribution_ids:
        return {}
    numbered = (
        select(
            Comment,
            func.row_number()
            .over(partition_by=Comment.contribution_id, order_by=Comment.id)
            .label("position"),
            func.count().over(partition_by=Comment.contribution_id).label("total"),
        )
        .where(Comment.contribution_id.in_(contribution_ids), _shown_to(lister))
        .subquery()
    )
    comment = aliased(Comment, numbered)
    rows = db.session.execute(
        select(comment, numbered.c.total)
        .where(numbered.c.position <= limit)
        .order_by(numbered.c.contribution_id, numbered.c.id)
    ).unique()
    found: dict[int, CardComments] = {}
    for item, total in rows:
        card = found.setdefault(item.contribution_id, CardComments([], total))
        card.items.append(item)
    return found


def of_author(user) -> list[Comment]:
    """Every comment a member wrote, oldest first (their export)."""
    return list(
        db.session.scalars(select(Comment).where(Comment.author_id == user.id).order_by(Comment.id))
    )
