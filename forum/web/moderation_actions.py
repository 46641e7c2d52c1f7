"""Moderators' buttons on the pages themselves: hide / restore / feature a contribution, redact
its earlier versions, lock a prompt, suspend or purge a member, and (admins) change a role. Each
answers with a redirect back to the page the button was on; the services check permissions and
write the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import login_required
from flask_wtf import FlaskForm

from forum.limits import limit_writes
from forum.services import accounts, contributions, moderation, prompts, redaction
from forum.services.errors import Invalid
from forum.services.purge import purge as purge_account
from forum.web.card_notices import flash_on_card
from forum.web.contributions import anchored
from forum.web.forms import (
    ActionForm,
    HideForm,
    LockForm,
    PurgeForm,
    RedactForm,
    RoleForm,
    SuspendForm,
)
from forum.web.moderation import require_moderator

bp = Blueprint("moderation_actions", __name__)


def _submitted(form: FlaskForm) -> FlaskForm:
    if not form.validate_on_submit():
        first = next(iter(form.errors.values()), ["The form was not valid."])
        abort(400, description=" ".join(str(m) for m in first))
    return form


def _attempt(action, success: str) -> None:
    """Run a service call; its field errors come back as a message on the page, not a 422."""
    try:
        action()
    except Invalid as error:
        flash(error.message, "error")
    else:
        flash(success, "success")


def _contribution(contribution_id: int, action: str):
    person = require_moderator(action)
    return person, contributions.get_contribution(person, contribution_id)


@bp.post("/contributions/<int:contribution_id>/hide")
@login_required
@limit_writes
def hide(contribution_id):
    person, contribution = _contribution(contribution_id, "hide")
    form = _submitted(HideForm())
    _attempt(
        lambda: moderation.hide(person, contribution, form.reason.data),
        "The contribution is hidden; its author sees your reason.",
    )
    return redirect(anchored(contribution))


@bp.post("/contributions/<int:contribution_id>/restore")
@login_required
@limit_writes
def restore(contribution_id):
    person, contribution = _contribution(contribution_id, "read_hidden")
    _submitted(ActionForm())
    moderation.restore(person, contribution)
    flash("The contribution is visible again.", "success")
    return redirect(anchored(contribution))


@bp.post("/contributions/<int:contribution_id>/feature", defaults={"featured": True})
@bp.post(
    "/contributions/<int:contribution_id>/unfeature",
    defaults={"featured": False},
    endpoint="unfeature",
)
@login_required
@limit_writes
def feature(contribution_id, featured):
    """Mark as editor's pick, or remove the mark: each button sets its state, so pressing it
    twice (or on a page that is out of date) changes nothing more."""
    person, contribution = _contribution(contribution_id, "feature")
    _submitted(ActionForm())
    moderation.set_featured(person, contribution, featured)
    flash_on_card(
        contribution.id, "Marked as editor's pick." if featured else "No longer an editor's pick."
    )
    return redirect(anchored(contribution))


@bp.post("/contributions/<int:contribution_id>/redact")
@login_required
@limit_writes
def redact(contribution_id):
    """From the history page: remove the text of one earlier version, or of every one."""
    person, contribution = _contribution(contribution_id, "redact")
    form = _submitted(RedactForm())
    _attempt(
        lambda: redaction.redact(person, contribution, form.reason.data, form.revision_id.data),
        "The text is removed for good; the log keeps your reason.",
    )
    return redirect(url_for("contributions.revisions", contribution_id=contribution.id))


@bp.post("/prompts/<int:prompt_id>/lock", defaults={"status": "locked"})
@bp.post("/prompts/<int:prompt_id>/unlock", defaults={"status": "open"}, endpoint="unlock")
@login_required
@limit_writes
def lock(prompt_id, status):
    """Lock a prompt (it takes no new contributions), saying why (the audit log keeps the
    reason), or open it again."""
    person = require_moderator("edit_prompt")
    prompt = prompts.get_prompt(prompt_id)
    if status == "locked":
        reason = _submitted(LockForm()).reason.data.strip()
    else:
        _submitted(ActionForm())
        reason = ""
    prompts.update_prompt(person, prompt, status=status, reason=reason)
    flash("The prompt is locked." if status == "locked" else "The prompt is open again.", "success")
    return redirect(url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug))


def _account(username: str, action: str = "work_flags"):
    """The acting moderator and the account acted on (the service judges rank)."""
    return require_moderator(action), accounts.get_user(username)


def _back_to(user):
    return redirect(url_for("accounts.profile", username=user.username))


@bp.post("/u/<username>/suspend")
@login_required
@limit_writes
def suspend(username):
    person, user = _account(username)
    form = _submitted(SuspendForm())
    until = form.until.data
    ends = datetime.combine(until, time.min, tzinfo=UTC) if until else None
    _attempt(
        lambda: moderation.suspend(person, user, form.reason.data, ends),
        f"{user.display_name} is suspended.",
    )
    return _back_to(user)


@bp.post("/u/<username>/unsuspend")
@login_required
@limit_writes
def unsuspend(username):
    person, user = _account(username)
    _submitted(ActionForm())
    moderation.unsuspend(person, user)
    flash(f"{user.display_name} may write again.", "success")
    return _back_to(user)


@bp.post("/u/<username>/purge")
@login_required
@limit_writes
def purge(username):
    """Suspend a spammer and hide everything they still show, once the moderator typed the
    member's username to confirm (a mistyped one changes nothing and says so)."""
    person, user = _account(username)
    form = _submitted(PurgeForm())
    if form.confirm.data.strip().lower() != user.username.lower():
        flash(f"Nothing was purged: type {user.username} to confirm.", "error")
        return _back_to(user)
    _attempt(
        lambda: purge_account(person, user, form.reason.data),
        f"{user.display_name} is suspended and their contributions are hidden.",
    )
    return _back_to(user)


@bp.post("/u/<username>/role")
@login_required
@limit_writes
def role(username):
    person, user = _account(username, "set_role")
    form = _submitted(RoleForm())
    accounts.set_role(person, user, form.role.data)
    flash(f"{user.display_name} is now {user.role}.", "success")
    return _back_to(user)
