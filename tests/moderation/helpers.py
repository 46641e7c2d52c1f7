"""Helpers of the moderation suite: flagging, and reading the audit log back."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Flag, ModerationAction
from forum.services import moderation
from tests.factories import make_user


def flag_it(contribution, reason: str = "spam", note: str = "", reporter=None) -> Flag:
    return moderation.flag(reporter or make_user(), contribution, reason, note)


def audit_lines() -> list[tuple[str, str, int]]:
    """(action, target type, target id) of every audit line, oldest first."""
    db.session.expire_all()
    rows = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))
    return [(row.action, row.target_type, row.target_id) for row in rows]


def audit_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(ModerationAction.id)))


def flag_statuses(contribution_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Flag.status).where(Flag.contribution_id == contribution_id).order_by(Flag.id)
        )
    )
