"""Redaction: a moderator removes the text of earlier versions of a contribution for good.

A moderator's edit replaces the current body, but the earlier body stays in the history. When
it holds something that must go (a client's name, say), the moderator edits it out first and then
redacts the earlier versions: their text is emptied in the database and `redacted_at` says when.
Only the current body is ever indexed for search, so the edit already took the text out of the
index; exports and the history read the emptied rows. The audit log keeps who and why, never the
text."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, Revision
from forum.models.types import utcnow
from forum.permissions import can
from forum.services import audit
from forum.services.contributions import list_revisions
from forum.services.errors import Forbidden, NotFound, invalid
from forum.urls import MAX_ID

REASON_LIMIT = 500


def redact(actor, contribution: Contribution, reason, revision_id=None) -> list[Revision]:
    """Empty the text of one revision of `contribution` (or of every revision when
    `revision_id` is None) and log it; answers the contribution's revisions as they now are.
    Redacting what is already redacted changes nothing and logs nothing."""
    if not can(actor, "redact"):
        raise Forbidden("Moderators only.")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise invalid("reason", "Say why the text is removed (the log keeps the reason).")
    if len(reason) > REASON_LIMIT:
        raise invalid("reason", f"Use at most {REASON_LIMIT} characters.")
    query = select(Revision).where(Revision.contribution_id == contribution.id)
    if revision_id is not None:
        if not 1 <= revision_id <= MAX_ID:  # beyond what the column holds: names nothing
            raise NotFound("No such revision of this contribution.")
        query = query.where(Revision.id == revision_id)
    revisions = list(db.session.scalars(query.order_by(Revision.id)))
    if revision_id is not None and not revisions:
        raise NotFound("No such revision of this contribution.")
    now = utcnow()
    removed = [revision for revision in revisions if revision.redacted_at is None]
    for revision in removed:
        revision.body, revision.redacted_at = "", now
    if removed:
        audit.record(actor, "redact", "contribution", contribution.id, _logged(reason, removed))
    db.session.commit()
    return list_revisions(contribution)


def _logged(reason: str, removed: list[Revision]) -> str:
    """The reason, and which revisions lost their text (their ids, never their text)."""
    ids = ", ".join(str(revision.id) for revision in removed)
    noun = "revision" if len(removed) == 1 else "revisions"
    return f"{reason} ({noun} {ids})"
