"""Related reading under a prompt: prompts whose text is most alike (from the search engine),
then, to fill the list, prompts sharing tags and prompts of the same topic, by helpfulness."""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import cache, db
from forum.models import Prompt, Topic
from forum.models.prompt import prompt_tags
from forum.services.search import similar_prompts


class Heading(NamedTuple):
    """What a link to a prompt shows: its title and its topic's name."""

    id: int
    slug: str
    title: str
    topic_name: str


def related_prompts(prompt: Prompt, limit: int = 5) -> list[Prompt]:
    """At most `limit` other prompts worth reading next, whole (for the API)."""
    ids = related_ids(prompt, limit)
    rows = {p.id: p for p in db.session.scalars(select(Prompt).where(Prompt.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def related_headings(prompt: Prompt, limit: int = 5) -> list[Heading]:
    """The same prompts as `related_prompts`, as the links under a prompt's page show them: one
    narrow query, not each prompt with its key points, tags, author and source."""
    ids = related_ids(prompt, limit)
    rows = {
        row.id: Heading(*row)
        for row in db.session.execute(
            select(Prompt.id, Prompt.slug, Prompt.title, Topic.name)
            .join(Topic, Topic.id == Prompt.topic_id)
            .where(Prompt.id.in_(ids))
        )
    }
    return [rows[i] for i in ids if i in rows]


def related_ids(prompt: Prompt, limit: int) -> list[int]:
    """The ids of the related prompts, best first. Kept a few minutes per prompt: asking the
    engine for similar texts costs more than the rest of a prompt page."""
    key = f"related:{prompt.id}:{limit}"
    ids = cache.get(key)
    if ids is None:
        ids = _find_related(prompt, limit)
        cache.set(key, ids, timeout=current_app.config["RELATED_CACHE_SECONDS"])
    return ids


def _find_related(prompt: Prompt, limit: int) -> list[int]:
    found = similar_prompts(prompt.id, limit)
    tag_ids = [t.id for t in prompt.tags]
    if tag_ids and len(found) < limit:
        shared = (
            select(prompt_tags.c.prompt_id, func.count().label("shared"))
            .where(prompt_tags.c.tag_id.in_(tag_ids), prompt_tags.c.prompt_id != prompt.id)
            .group_by(prompt_tags.c.prompt_id)
            .subquery()
        )
        found += db.session.scalars(
            select(Prompt.id)
            .join(shared, shared.c.prompt_id == Prompt.id)
            .where(Prompt.id.not_in([prompt.id, *found]))
            .order_by(shared.c.shared.desc(), Prompt.helpful_score.desc(), Prompt.id)
            .limit(limit - len(found))
        )
    if len(found) < limit:
        found += db.session.scalars(
            select(Prompt.id)
            .where(Prompt.topic_id == prompt.topic_id, Prompt.id.not_in([prompt.id, *found]))
            .order_by(Prompt.helpful_score.desc(), Prompt.last_activity_at.desc())
            .limit(limit - len(found))
        )
    return found
