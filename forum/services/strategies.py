"""Strategies across prompts: the contributions rated most useful, or those proven in practice
(the most successful among those that at least three members reported trying).

A list is had whole (`top_strategies`: the contributions with their prompts' headings), or as
its rows' ids with each prompt's page version (`listed_strategies`), for a page that keeps each
card under that version and loads (`loaded`) only the contributions whose card it lacks.
"""

from __future__ import annotations

from sqlalchemy import exists, literal_column, select
from sqlalchemy.orm import lazyload, load_only, selectinload

from forum.models import Contribution, Prompt, Tag
from forum.models.contribution import STRATEGY_SORTS, contribution_tags
from forum.models.prompt import prompt_tags
from forum.services import strategy_totals, topics
from forum.services.contributions import load_in_order
from forum.services.errors import invalid
from forum.services.paging import Page, first, paginate, paginate_rows

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
    query, total = _listing(topic=topic, tag=tag, min_ratings=min_ratings, sort=sort)
    return paginate(query.options(_PROMPT_HEADING), page, per_page, total)


def listed_strategies(*, page=1, per_page=20, **filters) -> Page:
    """The page `top_strategies` would list with the same filters (topic, tag, min_ratings,
    sort), as rows of (id, prompt_id, version): each contribution with the version of its
    prompt's page, which moves with every change to what its card shows (services/versions.py)."""
    columns = (Contribution.id, Contribution.prompt_id, Prompt.version)
    query, total = _listing(*columns, **filters)
    return paginate_rows(query, page, per_page, total)


def loaded(ids: list[int]) -> list[Contribution]:
    """These contributions as `top_strategies` lists them (with their prompts' headings), in
    the order given; one that is gone is left out."""
    return load_in_order(ids, _PROMPT_HEADING)


def _listing(*columns, topic: str | None = None, tag: str | None = None,
             min_ratings: int | None = None, sort: str = "useful"):  # fmt: skip
    """(the SELECT of the list, its total when kept) for these filters (`columns`: as
    `_strategies` takes them)."""
    if sort not in _ORDERS:
        raise invalid("sort", f"Must be one of: {', '.join(STRATEGY_SORTS)}.")
    topic_id = topics.get_topic(topic).id if topic else None
    total = None
    if sort == "useful" and min_ratings in (None, 1) and not tag:  # the list's default filter
        total = strategy_totals.rated_total(topic_id)
    return _strategies(topic_id, tag, min_ratings, sort, *columns), total


def best_strategies(limit: int) -> list[Contribution]:
    """The `limit` most useful strategies (with a rating at least), for a list that shows no
    total: nothing is counted."""
    return first(_strategies(None, None, None, "useful").options(_PROMPT_HEADING), limit)


def _strategies(topic_id: int | None, tag: str | None, min_ratings: int | None, sort: str,
                *columns):  # fmt: skip
    """The SELECT of top_strategies, in its order (`sort` one of _ORDERS): of contributions, or
    of these `columns` (of a contribution and its prompt, which is joined)."""
    if min_ratings is None:
        min_ratings = 1 if sort == "useful" else 0
    query = (
        select(*columns or (Contribution,))
        .where(Contribution.status == "visible")
        .order_by(*_ORDERS[sort])
    )
    if min_ratings >= 1:
        query = query.where(Contribution.rating_count >= min_ratings)
        if sort == "useful":
            query = query.where(_RATED)
    if sort == "proven":
        query = query.where(_PROVEN)
    if topic_id is not None or columns:
        query = query.join(Prompt, Prompt.id == Contribution.prompt_id)
    if topic_id is not None:
        query = query.where(Prompt.topic_id == topic_id)
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
