"""Top strategies: the contributions rated most useful, across prompts."""

from __future__ import annotations

from sqlalchemy import exists, literal_column, select, true
from sqlalchemy.orm import lazyload, load_only, selectinload

from forum.models import Contribution, Prompt, Tag
from forum.models.contribution import contribution_tags
from forum.models.prompt import prompt_tags
from forum.services import topics
from forum.services.paging import Page, paginate

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


# The condition of ix_contributions_rated, spelled as the index spells it: a bound parameter
# (`rating_count >= :n`) does not tell the planner that the rows are all in that index.
_RATED = Contribution.rating_count >= literal_column("1")


def top_strategies(
    *, topic: str | None = None, tag: str | None = None, min_ratings: int = 1, page=1, per_page=20
) -> Page:
    """Visible contributions with at least `min_ratings` ratings, by usefulness score.

    A tag matches the contribution's own #hashtags or its prompt's tags.
    """
    query = (
        select(Contribution)
        .where(Contribution.status == "visible", Contribution.rating_count >= min_ratings)
        .where(_RATED if min_ratings >= 1 else true())
        .order_by(Contribution.score.desc(), Contribution.rating_count.desc(), Contribution.id)
        .options(_PROMPT_HEADING)
    )
    if topic:
        topic_id = topics.get_topic(topic).id
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
    return paginate(query, page, per_page)
