"""The moderators' flag queue: open flags grouped by contribution, and decisions on many at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Contribution, Flag
from forum.models.moderation import FLAG_RESOLUTIONS, FLAG_STATUSES
from forum.permissions import can
from forum.services.errors import Forbidden, invalid
from forum.services.moderation import apply_resolution
from forum.services.paging import Page


@dataclass
class FlagGroup:
    """One flagged contribution and its flags (of one status), oldest flag first."""

    contribution: Contribution
    flags: list[Flag]

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
    """A page of flagged contributions. Open ones: the longest-waiting first; resolved and
    dismissed ones: the most recently decided first."""
    _require(actor)
    if status not in FLAG_STATUSES:
        raise invalid("status", f"Status is one of {', '.join(FLAG_STATUSES)}.")
    if status == "open":
        order = (func.min(Flag.created_at), Flag.contribution_id)
    else:
        order = (func.max(Flag.resolved_at).desc(), Flag.contribution_id.desc())
    grouped = (
        select(Flag.contribution_id).where(Flag.status == status).group_by(Flag.contribution_id)
    )
    total = db.session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    ids = list(
        db.session.scalars(grouped.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    )
    flags = db.session.scalars(
        select(Flag)
        .where(Flag.status == status, Flag.contribution_id.in_(ids))
        .order_by(Flag.created_at, Flag.id)
    )
    by_contribution: dict[int, list[Flag]] = {cid: [] for cid in ids}
    for item in flags:
        by_contribution[item.contribution_id].append(item)
    contributions = {
        c.id: c
        for c in db.session.scalars(select(Contribution).where(Contribution.id.in_(ids))).unique()
    }
    groups = [FlagGroup(contributions[cid], by_contribution[cid]) for cid in ids]
    return Page(groups, page, per_page, total)


def resolve_many(actor, contribution_ids, action, note: str = "") -> int:
    """One decision on the open flags of several contributions, in one transaction.
    Contributions without open flags are passed over. Returns how many were resolved."""
    _require(actor)
    if action not in FLAG_RESOLUTIONS:
        raise invalid("action", f"Action is one of {', '.join(FLAG_RESOLUTIONS)}.")
    ids = sorted({int(i) for i in contribution_ids or ()})
    if not ids:
        raise invalid("contributions", "Choose at least one flagged contribution.")
    reasons = dict(
        db.session.execute(
            select(Flag.contribution_id, func.min(Flag.reason))
            .where(Flag.contribution_id.in_(ids), Flag.status == "open")
            .group_by(Flag.contribution_id)
        ).all()
    )
    done = 0
    for contribution in db.session.scalars(
        select(Contribution).where(Contribution.id.in_(sorted(reasons))).order_by(Contribution.id)
    ).unique():
        apply_resolution(actor, contribution, action, note, f"flagged: {reasons[contribution.id]}")
        done += 1
    db.session.commit()
    return done
