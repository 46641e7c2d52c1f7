"""Related reading under a prompt.

Until the search engine can compare texts, prompts that share tags come first, then prompts of
the same topic, each group by helpfulness.
"""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Prompt
from forum.models.prompt import prompt_tags


def related_prompts(prompt: Prompt, limit: int = 5) -> list[Prompt]:
    tag_ids = [t.id for t in prompt.tags]
    found: list[Prompt] = []
    if tag_ids:
        shared = (
            select(prompt_tags.c.prompt_id, func.count().label("shared"))
            .where(prompt_tags.c.tag_id.in_(tag_ids), prompt_tags.c.prompt_id != prompt.id)
            .group_by(prompt_tags.c.prompt_id)
            .subquery()
        )
        found = list(
            db.session.scalars(
                select(Prompt)
                .join(shared, shared.c.prompt_id == Prompt.id)
                .order_by(shared.c.shared.desc(), Prompt.helpful_score.desc(), Prompt.id)
                .limit(limit)
            )
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
