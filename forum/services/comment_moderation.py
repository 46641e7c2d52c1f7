"""Moderating comments: members flag them, moderators hide and restore them and decide their
flags. Every moderator's act lands in the audit log, in the act's own transaction."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Comment, Flag
from forum.models.types import utcnow
from forum.permissions import can
from forum.services import audit, flags
from forum.services.comments import set_status
from forum.services.errors import Conflict, Forbidden, invalid

ALREADY_FLAGGED = "You already flagged this comment; a moderator will look at it."


def flag_comment(actor, comment: Comment, reason, note: str = "") -> Flag:
    """A member reports a comment; one open flag per member per comment."""
    return flags.file(
        actor,
        comment,
        action="flag_comment",
        noun="comment",
        reason=reason,
        note=note,
        open_flag=lambda: _open_flag_of(actor, comment),
        already=ALREADY_FLAGGED,
        contribution_id=comment.contribution_id,
        target_type="comment",
        comment_id=comment.id,
    )


def _open_flag_of(actor, comment: Comment) -> int | None:
    return db.session.scalar(
        select(Flag.id).where(
            Flag.comment_id == comment.id, Flag.reporter_id == actor.id, Flag.status == "open"
        )
    )


def _clean_reason(reason) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise invalid("reason", "Say why: the author will see the reason.")
    return reason[:500]


def apply_hide(actor, comment: Comment, reason: str) -> None:
    """Hide a visible comment and log it (no commit)."""
    set_status(comment, "hidden")
    comment.hidden_reason = reason
    audit.record(actor, "hide", "comment", comment.id, reason)


def hide_comment(actor, comment: Comment, reason) -> Comment:
    """A moderator hides a comment, saying why."""
    if not can(actor, "hide"):
        raise Forbidden("Moderators only.")
    reason = _clean_reason(reason)
    if comment.status == "deleted":
        raise Conflict("A deleted comment cannot be hidden.")
    if comment.status == "visible":
        apply_hide(actor, comment, reason)
    db.session.commit()
    return comment


def restore_comment(actor, comment: Comment, reason: str = "") -> Comment:
    """A moderator makes a hidden comment, or one a moderator deleted, visible again; what its
    author deleted only the author restores (as it was: hidden if it was hidden)."""
    if not can(actor, "restore_comment", comment):
        if comment.status == "deleted" and comment.deleted_by_author:
            raise Forbidden("Only its author restores a comment the author deleted.")
        raise Forbidden("Moderators only.")
    if comment.status == "deleted" and comment.deleted_by_author:
        set_status(comment, "hidden" if comment.hidden_reason else "visible")
    elif comment.status != "visible":
        set_status(comment, "visible")
        comment.hidden_reason = ""
        audit.record(actor, "restore", "comment", comment.id, reason or "")
    db.session.commit()
    return comment


def apply_resolution(actor, comment: Comment, action: str, note: str, why: str) -> int:
    """Act on a flagged comment and close its open flags (no commit). Returns how many."""
    note = (note or "").strip()
    if action == "hide" and comment.status == "visible":
        apply_hide(actor, comment, (note or why)[:500])
    elif action == "delete" and comment.status != "deleted":
        set_status(comment, "deleted")
        audit.record(actor, "delete", "comment", comment.id, note)
    status = "dismissed" if action == "dismiss" else "resolved"
    now = utcnow()
    open_flags = list(
        db.session.scalars(select(Flag).where(Flag.comment_id == comment.id, Flag.status == "open"))
    )
    for open_flag in open_flags:
        open_flag.status, open_flag.resolution = status, action
        open_flag.resolved_by_id, open_flag.resolved_at = actor.id, now
        open_flag.resolution_note = note
    audit.record(actor, f"flag_{action}", "comment", comment.id, note)
    return len(open_flags)
