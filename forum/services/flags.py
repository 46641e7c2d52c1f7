"""Filing a flag: what a member's report on a contribution or a comment must pass, and the one
open flag per member per target, kept even when the same report is sent twice at once."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Flag
from forum.models.moderation import FLAG_REASONS
from forum.permissions import can
from forum.services.errors import Conflict, Forbidden, invalid

NOTE_MAX = 1000


def file(
    actor,
    target,
    *,
    action: str,
    noun: str,
    reason,
    note: str,
    open_flag: Callable[[], int | None],
    already: str,
    **on,
) -> Flag:
    """Check and commit a member's flag on `target` (`on`: the Flag's columns naming it);
    `open_flag` finds the member's open flag on it, `already` says so (409)."""
    if reason not in FLAG_REASONS:
        raise invalid("reason", f"Reason is one of {', '.join(FLAG_REASONS)}.")
    if len(note or "") > NOTE_MAX:
        raise invalid("note", f"Use at most {NOTE_MAX} characters.")
    if not can(actor, action, target):
        if target.author_id == getattr(actor, "id", None):
            raise Forbidden(f"You cannot flag your own {noun}.")
        raise Forbidden("Your account cannot flag right now.")
    if open_flag():
        raise Conflict(already)
    item = Flag(
        reporter_id=actor.id,
        reporter_name=actor.username,
        reason=reason,
        note=(note or "").strip(),
        **on,
    )
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:
        # The same flag sent twice at once: both requests passed the check above, and the
        # unique index on open flags refused the second insert.
        db.session.rollback()
        if open_flag():
            raise Conflict(already) from None
        raise
    return item
