"""Outcomes API, "I tried it": a member reports what happened when they tried a contribution,
changes or withdraws it; its author and moderators read the notes."""

from __future__ import annotations

from flask_smorest import Blueprint

from forum.api.auth import (
    active_member_required,
    member_required,
    require_active_user,
    require_user,
)
from forum.limits import limit_writes
from forum.schemas.common import PageArgs
from forum.schemas.outcomes import OutcomeInSchema, OutcomeNotePageSchema, OutcomeOutSchema
from forum.services import contributions, outcomes

blp = Blueprint("api_outcomes", __name__, description="Outcomes: members tried it")


@blp.put("/contributions/<int:contribution_id>/outcome")
@active_member_required
@limit_writes
@blp.arguments(OutcomeInSchema)
@blp.response(200, OutcomeOutSchema)
@blp.doc(security=[{"bearer": []}])
def report_outcome(data, contribution_id):
    """Say what happened when you tried it (worked, partly, didnt), where, and a private note;
    again to change it. 403 on one's own contribution."""
    actor = require_active_user()
    contribution = contributions.get_contribution(actor, contribution_id)
    contribution = outcomes.report(actor, contribution, **data)
    return {**outcomes.summary(contribution), "my_outcome": outcomes.mine(actor, contribution.id)}


@blp.delete("/contributions/<int:contribution_id>/outcome")
@active_member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def withdraw_outcome(contribution_id):
    """Withdraw one's outcome."""
    actor = require_active_user()
    outcomes.withdraw(actor, contributions.get_contribution(actor, contribution_id))


@blp.get("/contributions/<int:contribution_id>/outcomes")
@member_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, OutcomeNotePageSchema)
@blp.doc(security=[{"bearer": []}])
def outcome_notes(args, contribution_id):
    """The outcomes reported on a contribution with their notes, newest first: for its author
    and moderators only."""
    actor = require_user()
    contribution = contributions.get_contribution(actor, contribution_id)
    return outcomes.notes_of(actor, contribution, args["page"], args["per_page"])
