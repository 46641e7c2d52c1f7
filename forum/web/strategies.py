"""Top strategies: the contributions rated most useful, across prompts."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from wtforms import SelectChoice

from forum.rendering import normalize_tag
from forum.services import strategies, topics
from forum.web.forms import StrategyFilter
from forum.web.helpers import page_arg

bp = Blueprint("strategies", __name__)


@bp.get("/strategies")
def index():
    """Top strategies across prompts, filtered by topic, tag and a minimum of ratings."""
    form = StrategyFilter(request.args)
    known = topics.topic_names()
    form.topic.choices = [SelectChoice("", "All topics")]
    form.topic.choices += [SelectChoice(slug, name) for slug, name in known.items()]
    # A shared link with an unknown topic or a mistyped number shows everything, not an error.
    topic = form.topic.data if form.topic.data in known else None
    valid = form.validate() and form.min_ratings.data is not None
    min_ratings = form.min_ratings.data if valid else 1
    tag = normalize_tag(request.args.get("tag", "")) if request.args.get("tag") else None
    page = strategies.top_strategies(
        topic=topic,
        tag=tag,
        min_ratings=min_ratings,
        page=page_arg(),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template(
        "strategies.html",
        form=form,
        page=page,
        filters={"topic": topic, "min_ratings": min_ratings, "tag": tag},
    )
