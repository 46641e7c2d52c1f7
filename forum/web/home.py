"""The front page: topics, prompts with recent activity, and the strategies rated most useful."""

from __future__ import annotations

from flask import Blueprint, render_template

from forum.services import prompts, strategies, topics
from forum.web import evidence

bp = Blueprint("home", __name__)

ACTIVE_PROMPTS = 10
TOP_STRATEGIES = 5


@bp.get("/")
def index():
    """The front page: topics, active prompts and a few top strategies."""
    # The front page shows no totals of either list, so neither is counted.
    top = strategies.best_strategies(TOP_STRATEGIES)
    return render_template(
        "home.html",
        topics=topics.list_topics(),
        active=prompts.active_prompts(ACTIVE_PROMPTS),
        strategies=top,
        mostly=evidence.mostly_of(c.id for c in top if c.outcome_count),
    )
