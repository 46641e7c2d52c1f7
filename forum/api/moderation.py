"""Moderation API: the flag queue, hide / restore / feature, suspensions and the audit log."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from forum.api.auth import checked_first, require_active_user
from forum.api.contributions import seen
from forum.limits import limit_writes
from forum.permissions import can
from forum.schemas.common import PageArgs
from forum.schemas.contributions import ContributionSchema, FlagSchema, RevisionListSchema
from forum.schemas.moderation import (
    FlagListArgs,
    FlagPageSchema,
    HideSchema,
    LogPageSchema,
    PurgeSchema,
    ReasonSchema,
    RedactSchema,
    ResolveSchema,
    SuspendSchema,
)
from forum.schemas.users import UserSchema
from forum.services import accounts, audit, contributions, moderation, profiles, redaction
from forum.services.errors import Forbidden
from forum.services.paging import Page
from forum.services.purge import purge as purge_account

blp = Blueprint("api_moderation", __name__, description="Moderation (moderators only)")


def moderator():
    actor = require_active_user()
    if not can(actor, "work_flags"):
        raise Forbidden("Moderators only.")
    return actor


moderator_required = checked_first(moderator)


def restorer():
    """A moderator, or the author of the contribution (who restores what they deleted); the
    service decides what each may restore."""
    actor = require_active_user()
    contribution_id = request.view_args["contribution_id"]
    if not can(actor, "read_hidden") and not contributions.is_author_of(actor, contribution_id):
        raise Forbidden("Moderators only.")
    return actor


def _seen(actor, contribution_id):
    """The contribution as the caller now sees it."""
    return seen(contributions.get_contribution(actor, contribution_id))


@blp.get("/moderation/flags")
@moderator_required
@blp.arguments(FlagListArgs, location="query")
@blp.response(200, FlagPageSchema)
@blp.doc(security=[{"bearer": []}])
def list_flags(args):
    """Flags by status (open by default), oldest first, each with its contribution."""
    return moderation.list_flags(moderator(), **args)


@blp.post("/moderation/flags/<int:flag_id>/resolve")
@moderator_required
@limit_writes
@blp.arguments(ResolveSchema)
@blp.response(200, FlagSchema)
@blp.doc(security=[{"bearer": []}])
def resolve_flag(data, flag_id):
    """Dismiss, hide or delete; resolves every open flag on that contribution."""
    actor = moderator()
    return moderation.resolve_flag(actor, moderation.get_flag(flag_id), **data)


@blp.post("/contributions/<int:contribution_id>/hide")
@moderator_required
@limit_writes
@blp.arguments(HideSchema)
@blp.response(200, ContributionSchema)
@blp.doc(security=[{"bearer": []}])
def hide(data, contribution_id):
    """Hide a contribution; the author sees the reason."""
    actor = moderator()
    contribution = contributions.get_contribution(actor, contribution_id)
    moderation.hide(actor, contribution, data["reason"])
    return _seen(actor, contribution_id)


@blp.post("/contributions/<int:contribution_id>/restore")
@checked_first(restorer)
@limit_writes
@blp.arguments(ReasonSchema, required=False)
@blp.response(200, ContributionSchema)
@blp.doc(security=[{"bearer": []}])
def restore(data, contribution_id):
    """Make a hidden contribution, or one a moderator deleted, visible again. Only its author
    restores a contribution the author deleted (403 for moderators); it comes back as it was."""
    actor = restorer()
    contribution = contributions.get_contribution(actor, contribution_id)
    moderation.restore(actor, contribution, (data or {}).get("reason", ""))
    return _seen(actor, contribution_id)


@blp.post("/contributions/<int:contribution_id>/feature")
@moderator_required
@limit_writes
@blp.response(200, ContributionSchema)
@blp.doc(security=[{"bearer": []}])
def feature(contribution_id):
    """Mark as editor's pick (badged, not pinned)."""
    actor = moderator()
    contribution = contributions.get_contribution(actor, contribution_id)
    moderation.set_featured(actor, contribution, True)
    return _seen(actor, contribution_id)


@blp.delete("/contributions/<int:contribution_id>/feature")
@moderator_required
@limit_writes
@blp.response(200, ContributionSchema)
@blp.doc(security=[{"bearer": []}])
def unfeature(contribution_id):
    """Remove the editor's pick badge."""
    actor = moderator()
    contribution = contributions.get_contribution(actor, contribution_id)
    moderation.set_featured(actor, contribution, False)
    return _seen(actor, contribution_id)


@blp.post("/contributions/<int:contribution_id>/redact")
@moderator_required
@limit_writes
@blp.arguments(RedactSchema)
@blp.response(200, RevisionListSchema)
@blp.doc(security=[{"bearer": []}])
def redact(data, contribution_id):
    """Remove the text of one earlier version (`revision_id`), or of every earlier version, for
    good: the rows keep no text, and the log keeps who and why. Edit the current text first;
    answers the contribution's revisions as they now are."""
    actor = moderator()
    contribution = contributions.get_contribution(actor, contribution_id)
    return {"items": redaction.redact(actor, contribution, **data)}


@blp.post("/users/<username>/suspend")
@moderator_required
@limit_writes
@blp.arguments(SuspendSchema)
@blp.response(200, UserSchema)
@blp.doc(security=[{"bearer": []}])
def suspend(data, username):
    """Suspend a member: they can read but not write."""
    actor = moderator()
    return profiles.profile_of(moderation.suspend(actor, accounts.get_user(username), **data))


@blp.post("/users/<username>/unsuspend")
@moderator_required
@limit_writes
@blp.response(200, UserSchema)
@blp.doc(security=[{"bearer": []}])
def unsuspend(username):
    """Lift a suspension."""
    actor = moderator()
    return profiles.profile_of(moderation.unsuspend(actor, accounts.get_user(username)))


@blp.post("/users/<username>/purge")
@moderator_required
@limit_writes
@blp.arguments(PurgeSchema)
@blp.response(200, UserSchema)
@blp.doc(security=[{"bearer": []}])
def purge(data, username):
    """Suspend a spammer and hide all their visible contributions, with one reason."""
    actor = moderator()
    return profiles.profile_of(purge_account(actor, accounts.get_user(username), data["reason"]))


@blp.get("/moderation/log")
@moderator_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, LogPageSchema)
@blp.doc(security=[{"bearer": []}])
def log(args):
    """The audit log, newest first."""
    moderator()
    items, total = audit.page_of_log(args["page"], args["per_page"])
    return Page(items, args["page"], args["per_page"], total)
