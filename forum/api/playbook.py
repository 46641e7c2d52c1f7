"""The playbook API: save a strategy to try (with a reminder), remove it, read one's playbook."""

from __future__ import annotations

from dataclasses import replace

from flask_smorest import Blueprint

from forum.api.auth import active_member_required, member_required, require_user
from forum.limits import limit_writes
from forum.schemas.common import PageArgs
from forum.schemas.playbook import PlaybookPageSchema, SavedSchema, SaveInSchema
from forum.services import contributions, playbook

blp = Blueprint("api_playbook", __name__, description="The playbook: strategies saved to try")


@blp.put("/contributions/<int:contribution_id>/save")
@active_member_required
@limit_writes
@blp.arguments(SaveInSchema)
@blp.response(200, SavedSchema)
@blp.doc(security=[{"bearer": []}])
def save_strategy(data, contribution_id):
    """Save a contribution to try, with a check-in `remind_in_days` from now (1 to 90, default
    14); again, change the reminder. 403 on one's own contribution."""
    actor = require_user()
    contribution = contributions.get_contribution(actor, contribution_id)
    return playbook.save(actor, contribution, data["remind_in_days"])


@blp.delete("/contributions/<int:contribution_id>/save")
@active_member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def unsave_strategy(contribution_id):
    """Remove a contribution from the caller's playbook (also one hidden since)."""
    playbook.unsave(require_user(), contribution_id)


@blp.get("/me/playbook")
@member_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, PlaybookPageSchema)
@blp.doc(security=[{"bearer": []}])
def my_playbook(args):
    """The caller's saved strategies, newest first, each with their own outcome of it and its
    state: to_try, checkin_due (the reminder date passed with no outcome), tried, unavailable
    (hidden or deleted since)."""
    page = playbook.playbook_of(require_user(), **args)
    items = [{**vars(entry), "contribution": entry} for entry in page.items]
    return replace(page, items=items)
