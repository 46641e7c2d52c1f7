"""Contribution pages."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

from forum.security import viewer
from forum.services import contributions

bp = Blueprint("contributions", __name__)


@bp.get("/contributions/<int:contribution_id>")
def show(contribution_id):
    contribution = contributions.get_contribution(viewer(), contribution_id)
    prompt = contribution.prompt
    target = url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug)
    return redirect(f"{target}#c{contribution.id}")
