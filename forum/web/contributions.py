"""Contributions: post one under a prompt, edit it (keeping revisions), delete it, see history."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import login_required

from forum.limits import limit_writes
from forum.permissions import can
from forum.security import viewer
from forum.services import contributions, prompts
from forum.services.errors import Invalid
from forum.web.card_notices import flash_on_card
from forum.web.forms import ActionForm, ContributionForm, EditContributionForm
from forum.web.helpers import require_member, show_errors
from forum.web.prompts import render_prompt_page

bp = Blueprint("contributions", __name__)


def anchored(contribution, **args) -> str:
    """The prompt page, scrolled to this contribution."""
    prompt = contribution.prompt
    target = url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug, **args)
    return f"{target}#c{contribution.id}"


@bp.get("/contributions/<int:contribution_id>")
def show(contribution_id):
    """A contribution's permanent address: its place on the prompt page, on the right page."""
    contribution = contributions.get_contribution(viewer(), contribution_id)
    page = contributions.page_containing(contribution, current_app.config["CONTRIBUTIONS_PER_PAGE"])
    return redirect(anchored(contribution, **({"page": page} if page > 1 else {})))


@bp.post("/prompts/<int:prompt_id>/contributions")
@login_required
@limit_writes
def create(prompt_id):
    """Post a contribution; with errors, the prompt page comes back with the form filled in."""
    prompt = prompts.get_prompt(prompt_id)
    form = ContributionForm()
    if form.validate_on_submit():
        try:
            contribution = contributions.create_contribution(
                require_member(), prompt, form.body.data, form.key_point_id.data
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash_on_card(contribution.id, "Thank you: your experience is posted.")
            # Newest first, so the new contribution is on the first page whatever its score.
            return redirect(anchored(contribution, sort="newest"))
    return render_prompt_page(prompt, contribute_form=form, status=422)


def _editable(contribution_id: int, action: str):
    person = require_member()
    contribution = contributions.get_contribution(person, contribution_id)
    if not can(person, action, contribution):
        abort(403, description="Only the author or a moderator can change this contribution.")
    return person, contribution


@bp.route("/contributions/<int:contribution_id>/edit", methods=["GET", "POST"])
@login_required
@limit_writes
def edit(contribution_id):
    """Edit a contribution; the previous body is kept as a revision."""
    person, contribution = _editable(contribution_id, "edit_contribution")
    form = EditContributionForm(data={"body": contribution.body})
    if form.validate_on_submit():
        try:
            contributions.edit_contribution(person, contribution, form.body.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("Your changes are saved; the earlier version is kept in the history.", "success")
            return redirect(anchored(contribution))
    status = 422 if form.is_submitted() else 200
    return render_template("contribution_edit.html", form=form, contribution=contribution), status


@bp.route("/contributions/<int:contribution_id>/delete", methods=["GET", "POST"])
@login_required
@limit_writes
def delete(contribution_id):
    """GET asks for confirmation; POST deletes (softly: ratings and history survive)."""
    person, contribution = _editable(contribution_id, "delete_contribution")
    form = ActionForm()
    if form.validate_on_submit():
        prompt = contribution.prompt
        contributions.delete_contribution(person, contribution)
        flash("The contribution is deleted.", "success")
        return redirect(url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug))
    return render_template("contribution_delete.html", form=form, contribution=contribution)


@bp.get("/contributions/<int:contribution_id>/revisions")
def revisions(contribution_id):
    """The current body and every earlier one, newest first."""
    contribution = contributions.get_contribution(viewer(), contribution_id)
    history = list(reversed(contributions.list_revisions(contribution)))
    return render_template("revisions.html", contribution=contribution, revisions=history)
