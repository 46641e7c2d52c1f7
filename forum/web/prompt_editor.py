"""Moderators write prompts: title, Markdown intro, topic, tags, status and key points.

A new prompt's page lists the prompts already asked that are most alike its title (and intro):
as the title is typed (forum/static/similar.js), on "Check for similar prompts" (a submit that
only re-renders the form, everything typed kept), and before publishing: while a prompt at
least ASKED_ALREADY alike exists, publishing shows them and asks to "Publish anyway".
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask_login import login_required
from wtforms import SelectChoice

from forum.limits import limit_writes
from forum.permissions import can
from forum.services import prompts, similar, topics
from forum.services.errors import Invalid
from forum.urls import prompt_url
from forum.web.forms import PromptForm
from forum.web.helpers import require_member, show_errors

bp = Blueprint("prompt_editor", __name__)
log = logging.getLogger(__name__)

EMPTY_ROWS = 3
# A prompt at least this alike (similarity, 0..1: a title the same as the text's holds half its
# weight) asks for "Publish anyway" before publishing.
ASKED_ALREADY = 0.4


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
    page = {"form": form, "prompt": None, "similar": None, "confirming": False}
    if form.is_submitted() and request.form.get("action") == "check":
        # Only a look: nothing is validated or published, everything typed comes back.
        page["similar"] = _similar(form)
        return render_template("prompt_form.html", **page)
    if form.validate_on_submit():
        if not request.form.get("publish_anyway"):
            page["similar"] = _similar(form)
            if any(s.similarity >= ASKED_ALREADY for s in page["similar"]):
                page["confirming"] = True
                return render_template("prompt_form.html", **page)
        try:
            prompt = prompts.create_prompt(person, **_fields(form))
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("The prompt is published.", "success")
            return redirect(prompt_url(prompt, external=False))
    status = 422 if form.is_submitted() else 200
    return render_template("prompt_form.html", **page), status


def _similar(form: PromptForm) -> list[similar.SimilarPrompt]:
    """The prompts most alike what is typed; none when nothing is typed or search is down (a
    prompt can always be written)."""
    if not (form.title.data or "").strip() and not (form.intro.data or "").strip():
        return []
    try:
        return similar.similar_to(form.title.data, form.intro.data)
    except Exception:  # noqa: BLE001 - the form works without the list
        log.exception("new prompt: similar prompts could not be found")
        return []


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
    """The topics to file the prompt under, after an empty choice: a new prompt starts on
    "Choose a topic" (required), an edited one on its own topic."""
    form.topic.choices = [SelectChoice("", "Choose a topic")] + [
        SelectChoice(slug, name) for slug, name in topics.topic_names().items()
    ]


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
