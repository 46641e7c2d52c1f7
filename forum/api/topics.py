"""Topics API."""

from __future__ import annotations

from flask_smorest import Blueprint

from forum.api.auth import active_member_required, require_active_user
from forum.limits import limit_writes
from forum.schemas.prompts import TopicCreateSchema, TopicListSchema, TopicSchema
from forum.services import topics
from forum.services.topics import TopicSummary

blp = Blueprint("api_topics", __name__, description="Topics: the subject areas")


@blp.get("/topics")
@blp.response(200, TopicListSchema)
def list_topics():
    """Every topic, with its number of prompts."""
    return {"items": topics.list_topics()}


@blp.post("/topics")
@active_member_required
@limit_writes
@blp.arguments(TopicCreateSchema)
@blp.response(201, TopicSchema)
@blp.doc(security=[{"bearer": []}])
def create_topic(data):
    """Moderators create topics."""
    return TopicSummary(topics.create_topic(require_active_user(), **data), prompt_count=0)
