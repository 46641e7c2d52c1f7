"""Comments API: questions, context and counter-experiences under a contribution."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from forum.api.auth import active_member_required, api_user, checked_first, require_active_user
from forum.limits import limit_writes
from forum.permissions import can
from forum.schemas.comments import (
    CommentCreateSchema,
    CommentPageSchema,
    CommentPatchSchema,
    CommentSchema,
)
from forum.schemas.common import PageArgs
from forum.schemas.contributions import FlagInSchema, FlagSchema
from forum.schemas.moderation import HideSchema, ReasonSchema
from forum.services import comment_moderation, comments, contributions
from forum.services.errors import Forbidden

blp = Blueprint("api_comments", __name__, description="Comments under contributions")


def _moderator():
    actor = require_active_user()
    if not can(actor, "hide"):
        raise Forbidden("Moderators only.")
    return actor


def _restorer():
    """A moderator, or the comment's author (who restores what they deleted); the service
    decides what each may restore."""
    actor = require_active_user()
    comment_id = request.view_args["comment_id"]
    if not can(actor, "read_hidden") and not comments.is_author_of(actor, comment_id):
        raise Forbidden("Moderators only.")
    return actor


@blp.get("/contributions/<int:contribution_id>/comments")
@blp.arguments(PageArgs, location="query")
@blp.response(200, CommentPageSchema)
def list_comments(args, contribution_id):
    """The contribution's comments, oldest first (for anyone who may see the contribution)."""
    viewer = api_user()
    contribution = contributions.get_contribution(viewer, contribution_id)
    return comments.list_for_contribution(viewer, contribution, args["page"], args["per_page"])


@blp.post("/contributions/<int:contribution_id>/comments")
@active_member_required
@limit_writes
@blp.arguments(CommentCreateSchema)
@blp.response(201, CommentSchema)
@blp.doc(security=[{"bearer": []}])
def create_comment(data, contribution_id):
    """Ask the author a question, add context or a counter-experience; 409 when the prompt is
    locked or archived."""
    actor = require_active_user()
    contribution = contributions.get_contribution(actor, contribution_id)
    return comments.create_comment(actor, contribution, data["body"], data["kind"])


@blp.patch("/comments/<int:comment_id>")
@active_member_required
@limit_writes
@blp.arguments(CommentPatchSchema)
@blp.response(200, CommentSchema)
@blp.doc(security=[{"bearer": []}])
def edit_comment(data, comment_id):
    """The author or a moderator changes the text."""
    actor = require_active_user()
    return comments.edit_comment(actor, comments.get_comment(actor, comment_id), data["body"])


@blp.delete("/comments/<int:comment_id>")
@active_member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def delete_comment(comment_id):
    """Soft delete, by the author or a moderator."""
    actor = require_active_user()
    comments.delete_comment(actor, comments.get_comment(actor, comment_id))


@blp.post("/comments/<int:comment_id>/flags")
@active_member_required
@limit_writes
@blp.arguments(FlagInSchema)
@blp.response(201, FlagSchema)
@blp.doc(security=[{"bearer": []}])
def flag_comment(data, comment_id):
    """Report a comment to the moderators; 409 if this member already has an open flag on it."""
    actor = require_active_user()
    comment = comments.get_comment(actor, comment_id)
    return comment_moderation.flag_comment(actor, comment, data["reason"], data.get("note", ""))


@blp.post("/comments/<int:comment_id>/hide")
@checked_first(_moderator)
@limit_writes
@blp.arguments(HideSchema)
@blp.response(200, CommentSchema)
@blp.doc(security=[{"bearer": []}])
def hide_comment(data, comment_id):
    """A moderator hides a comment; its author sees the reason."""
    actor = _moderator()
    comment = comments.get_comment(actor, comment_id)
    return comment_moderation.hide_comment(actor, comment, data["reason"])


@blp.post("/comments/<int:comment_id>/restore")
@checked_first(_restorer)
@limit_writes
@blp.arguments(ReasonSchema, required=False)
@blp.response(200, CommentSchema)
@blp.doc(security=[{"bearer": []}])
def restore_comment(data, comment_id):
    """A moderator shows a hidden comment again; only its author restores a comment the author
    deleted."""
    actor = require_active_user()
    comment = comments.get_comment(actor, comment_id)
    reason = (data or {}).get("reason", "")
    return comment_moderation.restore_comment(actor, comment, reason)
