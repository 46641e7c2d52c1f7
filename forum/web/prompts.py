"""Prompt pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from forum.services import prompts

bp = Blueprint("prompts", __name__)


@bp.get("/prompts/<int:prompt_id>")
@bp.get("/prompts/<int:prompt_id>/<slug>")
def show(prompt_id, slug=None):
    prompt = prompts.get_prompt(prompt_id)
    return render_template("prompt.html", prompt=prompt)
