"""Moderation: flags and their queue, hide / restore / feature, suspensions. Every act is logged."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, Flag, User
from forum.models.moderation import FLAG_RESOLUTIONS, FLAG_STATUSES
from forum.models.types import utcnow
from forum.permissions import can
from forum.services import audit, comment_moderation, flags
from forum.services.contributions import set_status
from forum.services.errors import Conflict, Forbidden, NotFound, invalid
from forum.services.paging import Page, paginate

ALREADY_FLAGGED = "You already flagged this contribution; a moderator will look at it."


def _require(actor, action: str, target=None) -> None:
    if not can(actor, action, target):
        raise Forbidden("Moderators only.")


def flag(actor, contribution: Contribution, reason, note: str = "") -> Flag:
    """A member reports a contribution; one open flag per member per contribution."""
    return flags.file(
        actor,
        contribution,
        action="flag",
        noun="contribution",
        reason=reason,
        note=note,
        open_flag=lambda: _open_flag_of(actor, contribution),
        already=ALREADY_FLAGGED,
        contribution_id=contribution.id,
    )


def _open_flag_of(actor, contribution: Contribution) -> int | None:
    return db.session.scalar(
        select(Flag.id).where(
            Flag.contribution_id == contribution.id,
            Flag.comment_id.is_(None),
            Flag.reporter_id == actor.id,
            Flag.status == "open",
        )
    )


def list_flags(actor, status: str = "open", page=1, per_page=20) -> Page:
    _require(actor, "work_flags")
    if status not in FLAG_STATUSES:
        raise invalid("status", f"Status is one of {', '.join(FLAG_STATUSES)}.")
    query = select(Flag).where(Flag.status == status).order_by(Flag.created_at, Flag.id)
    return paginate(query, page, per_page)


def get_flag(flag_id: int) -> Flag:
    item = db.session.get(Flag, flag_id)
    if item is None:
        raise NotFound("No such flag.")
    return item


def resolve_flag(actor, item: Flag, action, note: str = "") -> Flag:
    """Resolve every open flag on the flagged contribution (or comment) with one decision."""
    _require(actor, "work_flags")
    if action not in FLAG_RESOLUTIONS:
        raise invalid("action", f"Action is one of {', '.join(FLAG_RESOLUTIONS)}.")
    why = f"flagged: {item.reason}"
    if item.comment_id is not None:
        comment_moderation.apply_resolution(actor, item.comment, action, note, why)
    else:
        apply_resolution(actor, item.contribution, action, note, why)
    db.session.commit()
    db.session.refresh(item)
    return item


def apply_resolution(actor, contribution: Contribution, action: str, note: str, why: str) -> int:
    """Act on a flagged contribution and close its open flags (no commit: the caller's
    transaction carries it). `why` is the hide reason when no note is given. Returns how many
    flags were closed."""
    note = (note or "").strip()
    if action == "hide" and contribution.status == "visible":
        apply_hide(actor, contribution, (note or why)[:500])
    elif action == "delete" and contribution.status != "deleted":
        set_status(contribution, "deleted")
        audit.record(actor, "delete", "contribution", contribution.id, note)
    status = "dismissed" if action == "dismiss" else "resolved"
    now = utcnow()
    open_flags = list(
        db.session.scalars(
            select(Flag).where(
                Flag.contribution_id == contribution.id,
                Flag.comment_id.is_(None),
                Flag.status == "open",
            )
        )
    )
    for open_flag in open_flags:
        open_flag.status, open_flag.resolution = status, action
        open_flag.resolved_by_id, open_flag.resolved_at = actor.id, now
        open_flag.resolution_note = note
    audit.record(actor, f"flag_{action}", "contribution", contribution.id, note)
    return len(open_flags)


def apply_hide(actor, contribution: Contribution, reason: str) -> None:
    """Hide a visible contribution and log it (no commit)."""
    set_status(contribution, "hidden")
    contribution.hidden_reason = reason
    audit.record(actor, "hide", "contribution", contribution.id, reason)


def hide(actor, contribution: Contribution, reason) -> Contribution:
    _require(actor, "hide")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise invalid("reason", "Say why: the author will see the reason.")
    if contribution.status == "deleted":
        raise Conflict("A deleted contribution cannot be hidden.")
    if contribution.status == "visible":
        apply_hide(actor, contribution, reason[:500])
    db.session.commit()
    return contribution


def restore(actor, contribution: Contribution, reason: str = "") -> Contribution:
    """A moderator makes a hidden contribution, or one a moderator deleted, visible again.
    What its author deleted only the author restores: as it was before, so a contribution
    hidden when its author deleted it comes back hidden."""
    if not can(actor, "restore", contribution):
        if contribution.status == "deleted" and contribution.deleted_by_author:
            raise Forbidden("Only its author restores a contribution the author deleted.")
        raise Forbidden("Moderators only.")
    if contribution.status == "deleted" and contribution.deleted_by_author:
        set_status(contribution, "hidden" if contribution.hidden_reason else "visible")
    elif contribution.status != "visible":
        set_status(contribution, "visible")
        contribution.hidden_reason = ""
        audit.record(actor, "restore", "contribution", contribution.id, reason)
    db.session.commit()
    return contribution


def set_featured(actor, contribution: Contribution, featured: bool) -> Contribution:
    _require(actor, "feature")
    if contribution.featured != featured:
        contribution.featured = featured
        action = "feature" if featured else "unfeature"
        audit.record(actor, action, "contribution", contribution.id)
    db.session.commit()
    return contribution


def suspend(actor, user: User, reason, until: datetime | None = None) -> User:
    """A suspended member reads but cannot write; their sessions end at once."""
    apply_suspension(actor, user, reason, until)
    db.session.commit()
    return user


def apply_suspension(
    actor, user: User, reason, until: datetime | None = None, action: str = "suspend"
) -> str:
    """Check, suspend and log (no commit); returns the cleaned reason."""
    if not can(actor, action, user):
        raise Forbidden("You cannot suspend this account.")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise invalid("reason", "Say why the account is suspended.")
    if until is not None:
        try:
            until = until.astimezone(UTC)
        except (OverflowError, ValueError) as exc:  # e.g. 9999-12-31T23:59-05:00 is year 10000
            raise invalid("until", "That date is out of range.") from exc
        if until <= utcnow():
            raise invalid("until", "The end of a suspension lies in the future.")
    user.status, user.suspended_until, user.suspension_reason = "suspended", until, reason[:500]
    user.session_version += 1
    suffix = f" (until {until.isoformat()})" if until else ""
    audit.record(actor, "suspend", "user", user.id, reason + suffix)
    return reason


def unsuspend(actor, user: User) -> User:
    if not can(actor, "suspend", user):
        raise Forbidden("You cannot change this account.")
    if user.status != "active":
        user.status, user.suspended_until, user.suspension_reason = "active", None, ""
        audit.record(actor, "unsuspend", "user", user.id)
    db.session.commit()
    return user
