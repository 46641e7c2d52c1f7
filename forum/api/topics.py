"""Topics API."""

from __future__ import annotations

from flask_smorest import Blueprint

from forum.api.auth import active_member_required, require_active_user
from forum.limits import limit_writes
from forum.schemas.prompts import TopicCreateSchema, TopicListSchema, TopicSchema
from forum.services import topics

blp = Blueprint("api_topics", __name__, description="Topics: the subject areas")


def present_topic(topic, prompt_count: int) -> dict:
    return {
        "slug": topic.slug,
        "name": topic.name,
        "description": topic.description,
        "prompt_count": prompt_count,
    }


@blp.get("/topics")
@blp.response(200, TopicListSchema)
def list_topics():
    """Every topic, with its number of prompts."""
    return {"items": [present_topic(t, n) for t, n in topics.list_topics()]}


@blp.post("/topics")
@active_member_required
@limit_writes
@blp.arguments(TopicCreateSchema)
@blp.response(201, TopicSchema)
@blp.doc(security=[{"bearer": []}])
def create_topic(data):
    """Moderators create topics."""
    return present_topic(topics.create_topic(require_active_user(), **data), 0)
