"""Strategies across prompts: the contributions rated most useful, or those proven in practice
(the most successful among those that at least three members reported trying)."""

from __future__ import annotations

from sqlalchemy import exists, literal_column, select
from sqlalchemy.orm import lazyload, load_only, selectinload

from forum.models import Contribution, Prompt, Tag
from forum.models.contribution import STRATEGY_SORTS, contribution_tags
from forum.models.prompt import prompt_tags
from forum.services import strategy_totals, topics
from forum.services.errors import invalid
from forum.services.paging import Page, first, paginate

# A strategy's card names its prompt (title and link): those columns of the 20 prompts in one
# query, rather than each whole prompt with its topic, author, key points, tags and source.
# Each relationship is named: a "*" here leaves the ones the model loads eagerly eager.
_PROMPT_HEADING = selectinload(Contribution.prompt).options(
    load_only(Prompt.id, Prompt.title, Prompt.slug),
    *(
        lazyload(relationship)
        for relationship in (
            Prompt.topic,
            Prompt.author,
            Prompt.key_points,
            Prompt.tags,
            Prompt.source,
        )
    ),
)


# Proven in practice: at least this many members reported trying it.
PROVEN_REPORTS = 3

# The conditions of ix_contributions_rated and ix_contributions_proven, spelled as the indexes
# spell them: a bound parameter (`rating_count >= :n`) does not tell the planner that the rows
# are all in that index.
_RATED = Contribution.rating_count >= literal_column("1")
_PROVEN = Contribution.outcome_count >= literal_column(str(PROVEN_REPORTS))

# useful: by usefulness score; proven: by success, among those with PROVEN_REPORTS outcomes.
_ORDERS = {
    "useful": (Contribution.score.desc(), Contribution.rating_count.desc(), Contribution.id),
    # ix_contributions_proven's own order: success, then reports, then id.
    "proven": (Contribution.success.desc(), Contribution.outcome_count.desc(), Contribution.id),
}


def top_strategies(
    *,
    topic: str | None = None,
    tag: str | None = None,
    min_ratings: int | None = None,
    sort: str = "useful",
    page=1,
    per_page=20,
) -> Page:
    """Visible contributions by usefulness score (`useful`, with at least `min_ratings`
    ratings, 1 unless said), or by success (`proven`: only those that at least three members
    reported trying, with at least `min_ratings` ratings, 0 unless said).

    A tag matches the contribution's own #hashtags or its prompt's tags.
    """
    if sort not in _ORDERS:
        raise invalid("sort", f"Must be one of: {', '.join(STRATEGY_SORTS)}.")
    topic_id = topics.get_topic(topic).id if topic else None
    query = _strategies(topic_id, tag, min_ratings, sort)
    total = None
    if sort == "useful" and min_ratings in (None, 1) and not tag:  # the list's default filter
        total = strategy_totals.rated_total(topic_id)
    return paginate(query, page, per_page, total)


def best_strategies(limit: int) -> list[Contribution]:
    """The `limit` most useful strategies (with a rating at least), for a list that shows no
    total: nothing is counted."""
    return first(_strategies(None, None, None, "useful"), limit)


def _strategies(topic_id: int | None, tag: str | None, min_ratings: int | None, sort: str):
    """The SELECT of top_strategies, in its order (`sort` one of _ORDERS)."""
    if min_ratings is None:
        min_ratings = 1 if sort == "useful" else 0
    query = (
        select(Contribution)
        .where(Contribution.status == "visible")
        .order_by(*_ORDERS[sort])
        .options(_PROMPT_HEADING)
    )
    if min_ratings >= 1:
        query = query.where(Contribution.rating_count >= min_ratings)
        if sort == "useful":
            query = query.where(_RATED)
    if sort == "proven":
        query = query.where(_PROVEN)
    if topic_id is not None:
        query = query.join(Prompt, Prompt.id == Contribution.prompt_id).where(
            Prompt.topic_id == topic_id
        )
    if tag:
        name = tag.lower().lstrip("#")
        own = exists().where(
            contribution_tags.c.contribution_id == Contribution.id,
            contribution_tags.c.tag_id == Tag.id,
            Tag.name == name,
        )
        of_prompt = exists().where(
            prompt_tags.c.prompt_id == Contribution.prompt_id,
            prompt_tags.c.tag_id == Tag.id,
            Tag.name == name,
        )
        query = query.where(own | of_prompt)
    return query
