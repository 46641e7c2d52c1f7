"""The audit log: every moderator and admin action, written in the action's own transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ModerationAction, User


def record(actor, action: str, target_type: str, target_id: int, reason: str = "") -> None:
    """Add one log line to the current unit of work (the calling service commits)."""
    db.session.add(
        ModerationAction(
            actor_id=actor.id if actor is not None else None,
            actor_name=actor.username if actor is not None else "command line",
            action=action,
            target_type=target_type,
            target_id=target_id,
            reason=(reason or "")[:2000],
        )
    )


def page_of_log(page: int, per_page: int) -> tuple[list[ModerationAction], int]:
    total = db.session.scalar(select(func.count(ModerationAction.id)))
    rows = db.session.scalars(
        select(ModerationAction)
        .order_by(ModerationAction.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def usernames_of(rows: list[ModerationAction]) -> dict[int, str]:
    """The current usernames of the accounts these lines act on, for linking to profiles."""
    ids = {row.target_id for row in rows if row.target_type == "user"}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
