"""The moderators' pages: the flag queue (one decision per contribution, or one for many) and
the audit log, which no page can change."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from wtforms import SelectChoice

from forum.limits import limit_writes
from forum.models.moderation import FLAG_STATUSES
from forum.permissions import can
from forum.services import audit, flag_queue, moderation
from forum.services.errors import Invalid
from forum.services.paging import Page
from forum.urls import MAX_ID
from forum.web.forms import FLAG_REASON_LABELS, RESOLUTION_CHOICES, LogFilter, ResolveForm
from forum.web.helpers import page_arg, private, require_member

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

TAB_LABELS = {"open": "Open", "resolved": "Resolved", "dismissed": "Dismissed"}


@bp.before_request
def _private():
    private()


def require_moderator(action: str = "work_flags"):
    """The signed-in moderator; 403 for anyone else (login_required sends readers to log in)."""
    person = require_member()
    if not can(person, action):
        abort(403, description="This page is for moderators.")
    return person


@bp.get("")
@login_required
def queue():
    """Flagged contributions: open ones oldest first; tabs for resolved and dismissed."""
    person = require_moderator()
    status = request.args.get("status", "open")
    if status not in FLAG_STATUSES:
        status = "open"
    per_page = current_app.config["PER_PAGE"]
    groups = flag_queue.flag_groups(person, status, page=page_arg(), per_page=per_page)
    return render_template(
        "moderation_queue.html",
        groups=groups,
        status=status,
        tab_labels=TAB_LABELS,
        reason_labels=FLAG_REASON_LABELS,
        resolution_choices=RESOLUTION_CHOICES,
    )


def _decided(form: ResolveForm, count: int) -> None:
    label = dict((c.value, c.label) for c in RESOLUTION_CHOICES)[form.action.data]
    noun = "contribution" if count == 1 else "contributions"
    flash(f"Done for {count} {noun}: {label.lower()}.", "success")


@bp.post("/flags/<int:flag_id>/resolve")
@login_required
@limit_writes
def resolve(flag_id):
    """One decision on every open flag of one contribution."""
    person = require_moderator()
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400, description="Choose dismiss, hide or delete.")
    moderation.resolve_flag(person, moderation.get_flag(flag_id), form.action.data, form.note.data)
    _decided(form, 1)
    return redirect(url_for("moderation.queue"))


@bp.post("/bulk")
@login_required
@limit_writes
def bulk():
    """The same decision on every contribution ticked in the queue, in one transaction."""
    person = require_moderator()
    form = ResolveForm()
    if not form.validate_on_submit():
        if "contributions" in form.errors:
            abort(400, description="A ticked contribution is not a number: tick them again.")
        abort(400, description="Choose dismiss, hide or delete.")
    ticked_comments = request.form.getlist("comments", type=_ticked)
    if not all(
        1 <= number <= MAX_ID for number in [*(form.contributions.data or ()), *ticked_comments]
    ):
        # Beyond what an id column holds the database would fail rather than find nothing.
        abort(400, description="Some of the ticked contributions do not exist.")
    try:
        done = flag_queue.resolve_many(
            person, form.contributions.data, form.action.data, form.note.data, ticked_comments
        )
    except Invalid as error:
        flash(error.message, "error")
    else:
        _decided(form, done)
    return redirect(url_for("moderation.queue"))


def _ticked(value: str) -> int:
    """A ticked comment's id; anything else is out of range (and refused with the rest)."""
    return int(value) if value.isdigit() and len(value) < 12 else 0


@bp.get("/log")
@login_required
def log():
    """The audit log, newest first, as sentences; filtered by moderator, action and days (GET
    parameters; a value that does not fit is explained on the page with a 400). Read only: no
    route edits or deletes a line."""
    require_moderator("read_log")
    people = audit.actors()
    form = LogFilter(request.args)
    form.moderator.choices = [SelectChoice("", "Anyone")] + [
        SelectChoice(p.username, p.username) for p in people
    ]
    form.action.choices = [SelectChoice("", "Any action")] + [
        SelectChoice(value, label) for value, label in audit.ACTION_LABELS.items()
    ]
    per_page = current_app.config["PER_PAGE"]
    page = page_arg()
    if not form.validate():
        _explain(form)
        return render_template(
            "moderation_log.html", form=form, page=Page([], 1, per_page, 0), entries=[]
        ), 400
    by_username = {p.username: p.id for p in people}
    filters = audit.LogFilters(
        actor_id=by_username.get(form.moderator.data),
        action=form.action.data or None,
        since=form.since.data,
        until=form.until.data,
    )
    items, total = audit.page_of_log(page, per_page, filters)
    return render_template(
        "moderation_log.html",
        form=form,
        page=Page(items, page, per_page, total),
        entries=audit.entries(items),
        filtered=any((filters.actor_id, filters.action, filters.since, filters.until)),
    )


def _explain(form: LogFilter) -> None:
    """Say what a person can fix, in place of WTForms' generic messages."""
    fixes = {
        "moderator": "Choose a moderator from the list: nobody by that name has acted.",
        "action": "Choose an action from the list.",
        "since": "Write the day as YYYY-MM-DD, for example 2026-03-02.",
    }
    for name, message in fixes.items():
        field = form[name]
        if field.errors and not (name == "since" and field.data):
            field.errors = [message]
    until = form.until
    if until.errors and until.data is None:
        until.errors = [fixes["since"]]
