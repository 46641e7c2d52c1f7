"""Related reading under a prompt: prompts whose text is most alike (from the search engine),
then, to fill the list, prompts sharing tags and prompts of the same topic, by helpfulness."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import cache, db
from forum.models import Prompt
from forum.models.prompt import prompt_tags
from forum.services.search import similar_prompts


def related_prompts(prompt: Prompt, limit: int = 5) -> list[Prompt]:
    """At most `limit` other prompts worth reading next. Kept a few minutes per prompt: asking
    the engine for similar texts costs more than the rest of a prompt page."""
    key = f"related:{prompt.id}:{limit}"
    ids = cache.get(key)
    if ids is None:
        ids = [p.id for p in _find_related(prompt, limit)]
        cache.set(key, ids, timeout=current_app.config["RELATED_CACHE_SECONDS"])
    rows = {p.id: p for p in db.session.scalars(select(Prompt).where(Prompt.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def _find_related(prompt: Prompt, limit: int) -> list[Prompt]:
    found = similar_prompts(prompt, limit)
    tag_ids = [t.id for t in prompt.tags]
    if tag_ids and len(found) < limit:
        seen = [prompt.id, *(p.id for p in found)]
        shared = (
            select(prompt_tags.c.prompt_id, func.count().label("shared"))
            .where(prompt_tags.c.tag_id.in_(tag_ids), prompt_tags.c.prompt_id != prompt.id)
            .group_by(prompt_tags.c.prompt_id)
            .subquery()
        )
        found += db.session.scalars(
            select(Prompt)
            .join(shared, shared.c.prompt_id == Prompt.id)
            .where(Prompt.id.not_in(seen))
            .order_by(shared.c.shared.desc(), Prompt.helpful_score.desc(), Prompt.id)
            .limit(limit - len(found))
        )
    if len(found) < limit:
        seen = [prompt.id, *(p.id for p in found)]
        found += db.session.scalars(
            select(Prompt)
            .where(Prompt.topic_id == prompt.topic_id, Prompt.id.not_in(seen))
            .order_by(Prompt.helpful_score.desc(), Prompt.last_activity_at.desc())
            .limit(limit - len(found))
        )
    return found
