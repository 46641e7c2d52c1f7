"""A topic's page: its prompts, by recent activity, newest or most helpful."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from forum.models.prompt import PROMPT_SORTS
from forum.services import prompts, topics
from forum.web.helpers import page_arg, sort_labels

bp = Blueprint("topics", __name__)

SORT_LABELS = sort_labels(PROMPT_SORTS)


@bp.get("/topics/<slug>")
def show(slug):
    """A topic's prompts, sorted by activity, age or helpfulness, a page at a time."""
    topic = topics.get_topic(slug)
    sort = request.args.get("sort", "active")
    if sort not in PROMPT_SORTS:
        sort = "active"
    page = prompts.list_prompts(
        topic=topic.slug, sort=sort, page=page_arg(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("topic.html", topic=topic, page=page, sort=sort, sort_labels=SORT_LABELS)
