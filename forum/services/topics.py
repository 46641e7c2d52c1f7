"""Topics: the subject areas."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Prompt, Topic
from forum.permissions import can
from forum.rendering import slugify
from forum.services import audit
from forum.services.errors import Forbidden, Invalid, NotFound


class TopicSummary(NamedTuple):
    """A topic and its number of prompts."""

    topic: Topic
    prompt_count: int


def list_topics() -> list[TopicSummary]:
    """Every topic with its number of prompts, by name."""
    counts = (
        select(Prompt.topic_id, func.count(Prompt.id).label("n"))
        .group_by(Prompt.topic_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Topic, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.topic_id == Topic.id)
        .order_by(Topic.name)
    )
    return [TopicSummary(topic, count) for topic, count in rows]


# Built once (every search page asks).
_NAMES = select(Topic.slug, Topic.name).order_by(Topic.name)


def topic_names() -> dict[str, str]:
    """Every topic's slug and name, by name: what a topic filter or choice offers (no counts:
    counting prompts per topic reads the whole prompts table)."""
    return dict(db.session.execute(_NAMES).all())


def get_topic(slug: str) -> Topic:
    topic = db.session.scalar(select(Topic).where(Topic.slug == (slug or "").lower()))
    if topic is None:
        raise NotFound("No such topic.")
    return topic


def create_topic(actor, name: str, description: str = "", slug: str | None = None) -> Topic:
    if not can(actor, "create_topic"):
        raise Forbidden("Only moderators create topics.")
    name = (name or "").strip()
    errors = {}
    if not name or len(name) > 80:
        errors["name"] = ["A name has 1 to 80 characters."]
    slug = slugify(slug or name)
    if db.session.scalar(select(Topic.id).where(Topic.slug == slug)):
        errors["slug"] = [f"The slug {slug!r} is taken."]
    if len(description or "") > 2000:
        errors["description"] = ["Use at most 2000 characters."]
    if errors:
        raise Invalid("Some fields need attention.", errors)
    topic = Topic(slug=slug, name=name, description=(description or "").strip())
    db.session.add(topic)
    db.session.flush()
    audit.record(actor, "create_topic", "topic", topic.id, name)
    db.session.commit()
    return topic
