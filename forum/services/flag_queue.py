"""The moderators' flag queue: open flags grouped by what they are on (a contribution or a
comment), and decisions on many at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Comment, Contribution, Flag
from forum.models.moderation import FLAG_RESOLUTIONS, FLAG_STATUSES
from forum.permissions import can
from forum.services import comment_moderation
from forum.services.errors import Forbidden, invalid
from forum.services.moderation import apply_resolution
from forum.services.paging import Page


@dataclass
class FlagGroup:
    """One flagged contribution, or one flagged comment (under `contribution`), and its flags (of
    one status), oldest flag first."""

    contribution: Contribution
    flags: list[Flag]
    comment: Comment | None = None

    @property
    def first(self) -> Flag:
        return self.flags[0]

    @property
    def count(self) -> int:
        return len(self.flags)


def _require(actor) -> None:
    if not can(actor, "work_flags"):
        raise Forbidden("Moderators only.")


def flag_groups(actor, status: str = "open", page: int = 1, per_page: int = 20) -> Page:
    """A page of flagged contributions and comments, one group each. Open ones: the
    longest-waiting first; resolved and dismissed ones: the most recently decided first."""
    _require(actor)
    if status not in FLAG_STATUSES:
        raise invalid("status", f"Status is one of {', '.join(FLAG_STATUSES)}.")
    # A group is one target: a contribution's own flags (no comment), or one comment's.
    comment_key = func.coalesce(Flag.comment_id, 0)
    if status == "open":
        order = (func.min(Flag.created_at), Flag.contribution_id, comment_key)
    else:
        order = (func.max(Flag.resolved_at).desc(), Flag.contribution_id.desc(), comment_key.desc())
    grouped = (
        select(Flag.contribution_id, comment_key.label("comment_key"))
        .where(Flag.status == status)
        .group_by(Flag.contribution_id, comment_key)
    )
    total = db.session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    keys = [
        (row[0], row[1])
        for row in db.session.execute(
            grouped.order_by(*order).limit(per_page).offset((page - 1) * per_page)
        )
    ]
    ids = sorted({cid for cid, _ in keys})
    flags = db.session.scalars(
        select(Flag)
        .where(Flag.status == status, Flag.contribution_id.in_(ids))
        .order_by(Flag.created_at, Flag.id)
    )
    by_target: dict[tuple[int, int], list[Flag]] = {key: [] for key in keys}
    for item in flags:
        by_target.get((item.contribution_id, item.comment_id or 0), []).append(item)
    contributions = {
        c.id: c
        for c in db.session.scalars(select(Contribution).where(Contribution.id.in_(ids))).unique()
    }
    comment_ids = [key for _, key in keys if key]
    comments = {
        c.id: c
        for c in db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids))).unique()
    }
    groups = [
        FlagGroup(contributions[cid], by_target[(cid, key)], comments.get(key)) for cid, key in keys
    ]
    return Page(groups, page, per_page, total)


def resolve_many(actor, contribution_ids, action, note: str = "", comment_ids=()) -> int:
    """One decision on the open flags of several contributions and comments, in one
    transaction. Those without open flags are passed over. Returns how many were resolved."""
    _require(actor)
    if action not in FLAG_RESOLUTIONS:
        raise invalid("action", f"Action is one of {', '.join(FLAG_RESOLUTIONS)}.")
    ids = sorted({int(i) for i in contribution_ids or ()})
    on_comments = sorted({int(i) for i in comment_ids or ()})
    if not ids and not on_comments:
        raise invalid("contributions", "Choose at least one flagged contribution.")
    reasons = dict(
        db.session.execute(
            select(Flag.contribution_id, func.min(Flag.reason))
            .where(Flag.contribution_id.in_(ids), Flag.comment_id.is_(None), Flag.status == "open")
            .group_by(Flag.contribution_id)
        ).all()
    )
    done = 0
    for contribution in db.session.scalars(
        select(Contribution).where(Contribution.id.in_(sorted(reasons))).order_by(Contribution.id)
    ).unique():
        apply_resolution(actor, contribution, action, note, f"flagged: {reasons[contribution.id]}")
        done += 1
    done += _resolve_comments(actor, on_comments, action, note)
    db.session.commit()
    return done


def _resolve_comments(actor, comment_ids: list[int], action: str, note: str) -> int:
    """The decision on each of these comments that has open flags (no commit)."""
    if not comment_ids:
        return 0
    reasons = dict(
        db.session.execute(
            select(Flag.comment_id, func.min(Flag.reason))
            .where(Flag.comment_id.in_(comment_ids), Flag.status == "open")
            .group_by(Flag.comment_id)
        ).all()
    )
    done = 0
    for comment in db.session.scalars(
        select(Comment).where(Comment.id.in_(sorted(reasons))).order_by(Comment.id)
    ).unique():
        why = f"flagged: {reasons[comment.id]}"
        comment_moderation.apply_resolution(actor, comment, action, note, why)
        done += 1
    return done
