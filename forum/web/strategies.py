"""Strategies across prompts: the contributions rated most useful, and those proven in practice
(the most successful among those at least three members reported trying)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from wtforms import SelectChoice

from forum.models.contribution import STRATEGY_SORTS
from forum.rendering import normalize_tag
from forum.services import strategies, topics
from forum.web import strategy_cards
from forum.web.forms import StrategyFilter
from forum.web.helpers import page_arg, sort_labels

bp = Blueprint("strategies", __name__)

SORT_LABELS = sort_labels(STRATEGY_SORTS)


@bp.get("/strategies")
def index():
    """Top strategies across prompts, most useful first (filtered by topic, tag and a minimum of
    ratings) or proven in practice (`?sort=proven`)."""
    form = StrategyFilter(request.args)
    known = topics.topic_names()
    form.topic.choices = [SelectChoice("", "All topics")]
    form.topic.choices += [SelectChoice(slug, name) for slug, name in known.items()]
    # A shared link with an unknown topic, sort or a mistyped number shows everything, not an
    # error.
    sort = request.args.get("sort", "useful")
    sort = sort if sort in STRATEGY_SORTS else "useful"
    topic = form.topic.data if form.topic.data in known else None
    valid = form.validate() and form.min_ratings.data is not None
    if sort == "proven":
        # Proven by those who tried it: ratings count only when the link asks for some.
        given = valid and "min_ratings" in request.args
        min_ratings = form.min_ratings.data if given else None
    else:
        min_ratings = form.min_ratings.data if valid else 1
    tag = normalize_tag(request.args.get("tag", "")) if request.args.get("tag") else None
    page = strategies.listed_strategies(
        topic=topic,
        tag=tag,
        min_ratings=min_ratings,
        sort=sort,
        page=page_arg(),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template(
        "strategies.html",
        form=form,
        page=page,
        sort=sort,
        sort_labels=SORT_LABELS,
        filters={"topic": topic, "min_ratings": min_ratings, "tag": tag},
        cards=strategy_cards.cards(page.items),
    )
