"""Moderators write prompts: title, Markdown intro, topic, tags, status and key points."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template
from flask_login import login_required
from wtforms import SelectChoice

from forum.limits import limit_writes
from forum.permissions import can
from forum.services import prompts, topics
from forum.services.errors import Invalid
from forum.urls import prompt_url
from forum.web.forms import PromptForm
from forum.web.helpers import require_member, show_errors

bp = Blueprint("prompt_editor", __name__)

EMPTY_ROWS = 3


@bp.route("/prompts/new", methods=["GET", "POST"])
@login_required
@limit_writes
def new():
    """Write a new prompt (moderators)."""
    person = require_member()
    if not can(person, "create_prompt"):
        abort(403, description="Only moderators create prompts.")
    form = PromptForm(data={"key_points": _rows([])})
    del form.status  # a new prompt is open
    _offer_topics(form)
    if form.validate_on_submit():
        try:
            prompt = prompts.create_prompt(person, **_fields(form))
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("The prompt is published.", "success")
            return redirect(prompt_url(prompt, external=False))
    status = 422 if form.is_submitted() else 200
    return render_template("prompt_form.html", form=form, prompt=None), status


@bp.route("/prompts/<int:prompt_id>/edit", methods=["GET", "POST"])
@login_required
@limit_writes
def edit(prompt_id):
    """Edit a prompt, its key points and its status (moderators)."""
    person = require_member()
    if not can(person, "edit_prompt"):
        abort(403, description="Only moderators edit prompts.")
    prompt = prompts.get_prompt(prompt_id)
    form = PromptForm(
        data={
            "title": prompt.title,
            "intro": prompt.intro,
            "topic": prompt.topic.slug,
            "tags": ", ".join(prompt.tag_names),
            "status": prompt.status,
            "key_points": _rows(prompt.key_points),
        }
    )
    _offer_topics(form)
    if form.validate_on_submit():
        try:
            prompts.update_prompt(person, prompt, status=form.status.data, **_fields(form))
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("The prompt is saved.", "success")
            return redirect(prompt_url(prompt, external=False))
    status = 422 if form.is_submitted() else 200
    return render_template("prompt_form.html", form=form, prompt=prompt), status


def _rows(key_points) -> list[dict]:
    """The existing key points, then a few empty rows, up to the configured limit."""
    rows = [{"point_id": kp.id, "title": kp.title, "body": kp.body} for kp in key_points]
    limit = current_app.config["LIMIT_KEY_POINTS"]
    empty = max(0, min(EMPTY_ROWS, limit - len(rows)))
    return rows + [{"point_id": None, "title": "", "body": ""}] * empty


def _offer_topics(form: PromptForm) -> None:
    form.topic.choices = [SelectChoice(slug, name) for slug, name in topics.topic_names().items()]


def _fields(form: PromptForm) -> dict:
    """What the prompt services take: empty key point rows and tags are dropped."""
    points = [
        {"id": row.point_id.data, "title": row.title.data or "", "body": row.body.data or ""}
        for row in form.key_points
        if (row.title.data or "").strip() or (row.body.data or "").strip()
    ]
    tags = [name.strip() for name in (form.tags.data or "").split(",") if name.strip()]
    return {
        "title": form.title.data,
        "intro": form.intro.data or "",
        "topic": form.topic.data,
        "tags": tags,
        "key_points": points,
    }
