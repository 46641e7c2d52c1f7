"""Prompts: create, edit, list, and the "helpful / not helpful" rating."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from forum import changes
from forum.changes import Changes
from forum.extensions import db
from forum.models import KeyPoint, Prompt, PromptRating, Tag
from forum.models.prompt import PROMPT_STATUSES, PromptView, prompt_tags
from forum.models.types import utcnow
from forum.permissions import can
from forum.ranking import wilson_lower_bound
from forum.rendering import render_markdown, slugify
from forum.services import audit, own_rows, topics
from forum.services.errors import Forbidden, Invalid, NotFound
from forum.services.paging import Page, first, paginate
from forum.services.tags import clean_tag_names, tags_named

HELPFUL_RACED = "Your vote changed in another request at the same moment; please try again."

ORDER_BY = {
    "active": (Prompt.last_activity_at.desc(), Prompt.id.desc()),
    "newest": (Prompt.created_at.desc(), Prompt.id.desc()),
    "top": (Prompt.helpful_score.desc(), Prompt.last_activity_at.desc(), Prompt.id.desc()),
}


@dataclass(frozen=True)
class HelpfulCounts:
    """A prompt's helpful / not helpful counts after a vote, and the voter's vote (None: none)."""

    helpful_yes: int
    helpful_no: int
    my_rating: bool | None


# One prompt with its key points and tags in one statement (a few rows each), not three.
_WHOLE = (joinedload(Prompt.key_points), joinedload(Prompt.tags))


def get_prompt(prompt_id: int) -> Prompt:
    prompt = db.session.get(Prompt, prompt_id, options=_WHOLE)
    if prompt is None:
        raise NotFound("No such prompt.")
    return prompt


def list_prompts(
    *, topic: str | None = None, tag: str | None = None, sort: str = "active", page=1, per_page=20
) -> Page:
    query = select(Prompt).order_by(*ORDER_BY.get(sort, ORDER_BY["active"]))
    if topic:
        query = query.where(Prompt.topic_id == topics.get_topic(topic).id)
    if tag:
        query = query.join(prompt_tags).join(Tag).where(Tag.name == tag.lower().lstrip("#"))
    return paginate(query, page, per_page)


def active_prompts(limit: int) -> list[Prompt]:
    """The `limit` prompts with the most recent activity, for a list that shows no total:
    nothing is counted."""
    return first(select(Prompt).order_by(*ORDER_BY["active"]), limit)


def _clean_key_points(raw, errors: dict) -> list[dict] | None:
    cfg = current_app.config
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors["key_points"] = ["Key points are a list."]
        return None
    if len(raw) > cfg["LIMIT_KEY_POINTS"]:
        errors["key_points"] = [f"Use at most {cfg['LIMIT_KEY_POINTS']} key points."]
        return None
    cleaned = []
    for index, point in enumerate(raw):
        title = (point.get("title") or "").strip()
        body = (point.get("body") or "").strip()
        if not title or len(title) > 120:
            errors["key_points"] = [f"Key point {index + 1} needs a title of 1 to 120 characters."]
            return None
        if len(body) > 2000:
            errors["key_points"] = [f"Key point {index + 1}: use at most 2000 characters."]
            return None
        cleaned.append({"id": point.get("id"), "title": title, "body": body})
    given_ids = [point["id"] for point in cleaned if point["id"] is not None]
    if len(given_ids) != len(set(given_ids)):
        errors["key_points"] = ["Each key point id may appear once."]
        return None
    return cleaned


def _validate(fields: dict, creating: bool) -> dict:
    cfg = current_app.config
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    if "title" in fields or creating:
        title = (fields.get("title") or "").strip()
        if not title or len(title) > cfg["LIMIT_TITLE"]:
            errors["title"] = [f"A title has 1 to {cfg['LIMIT_TITLE']} characters."]
        clean["title"] = title
    if "intro" in fields or creating:
        intro = (fields.get("intro") or "").strip()
        if len(intro) > cfg["LIMIT_INTRO"]:
            errors["intro"] = [f"Use at most {cfg['LIMIT_INTRO']} characters."]
        clean["intro"] = intro
    if "topic" in fields or creating:
        try:
            clean["topic"] = topics.get_topic(fields.get("topic") or "")
        except NotFound:
            errors["topic"] = ["No topic has that slug."]
    if "key_points" in fields:
        clean["key_points"] = _clean_key_points(fields["key_points"] or [], errors)
    if "tags" in fields:
        try:
            clean["tags"] = clean_tag_names(fields["tags"], cfg["LIMIT_TAGS"])
        except Invalid as exc:
            errors.update(exc.errors)
    if fields.get("status") is not None:
        if fields["status"] not in PROMPT_STATUSES:
            errors["status"] = [f"Status is one of {', '.join(PROMPT_STATUSES)}."]
        clean["status"] = fields["status"]
    if errors:
        raise Invalid("Some fields need attention.", errors)
    return clean


def create_prompt(actor, **fields) -> Prompt:
    """A moderator posts a prompt: title, Markdown intro, topic, ordered key points and tags."""
    if not can(actor, "create_prompt"):
        raise Forbidden("Only moderators create prompts.")
    clean = _validate(fields, creating=True)
    prompt = Prompt(
        title=clean["title"],
        slug=slugify(clean["title"]),
        intro=clean["intro"],
        intro_html=render_markdown(clean["intro"]),
        topic=clean["topic"],
        author_id=actor.id,
        author_name=actor.display_name,
        status=clean.get("status", "open"),
    )
    prompt.key_points = [
        KeyPoint(position=i + 1, title=p["title"], body=p["body"])
        for i, p in enumerate(clean.get("key_points") or [])
    ]
    prompt.tags = tags_named(clean.get("tags") or [])
    db.session.add(prompt)
    db.session.flush()
    audit.record(actor, "create_prompt", "prompt", prompt.id, prompt.title)
    db.session.commit()
    return prompt


def _apply_key_points(prompt: Prompt, points: list[dict]) -> None:
    """Match given points to existing ones by id, else by position, so answers keep their link."""
    by_id = {kp.id: kp for kp in prompt.key_points}
    use_ids = any(p.get("id") for p in points)
    kept: list[KeyPoint] = []
    for index, point in enumerate(points):
        if use_ids:
            existing = by_id.get(point.get("id"))
        else:
            existing = prompt.key_points[index] if index < len(prompt.key_points) else None
        kp = existing or KeyPoint()
        kp.position, kp.title, kp.body = index + 1, point["title"], point["body"]
        kept.append(kp)
    prompt.key_points = kept


def update_prompt(actor, prompt: Prompt, **fields) -> Prompt:
    if not can(actor, "edit_prompt"):
        raise Forbidden("Only moderators edit prompts.")
    clean = _validate(fields, creating=False)
    changed = []
    if "title" in clean and clean["title"] != prompt.title:
        prompt.title, prompt.slug = clean["title"], slugify(clean["title"])
        changed.append("title")
    if "intro" in clean and clean["intro"] != prompt.intro:
        prompt.intro, prompt.intro_html = clean["intro"], render_markdown(clean["intro"])
        changed.append("intro")
    if "topic" in clean and clean["topic"].id != prompt.topic_id:
        prompt.topic = clean["topic"]
        changed.append("topic")
    if clean.get("key_points") is not None:
        _apply_key_points(prompt, clean["key_points"])
        changed.append("key_points")
    if "tags" in clean:
        prompt.tags = tags_named(clean["tags"])
        changed.append("tags")
    if "status" in clean and clean["status"] != prompt.status:
        audit.record(actor, f"status_{clean['status']}", "prompt", prompt.id, fields.get("reason"))
        prompt.status = clean["status"]
    if changed:
        prompt.updated_at = utcnow()
        audit.record(actor, "edit_prompt", "prompt", prompt.id, ", ".join(changed))
    db.session.commit()
    return prompt


def rate_prompt(actor, prompt: Prompt, helpful: bool | None) -> HelpfulCounts:
    """Set (or with None, remove) the actor's helpful / not helpful rating of a prompt.

    Counters move by SQL arithmetic in this one transaction; the Wilson bound is computed from
    the row the UPDATE returned. A vote sent twice at once counts once (services/own_rows.py).
    """
    if not can(actor, "rate_prompt"):
        raise Forbidden("Your account cannot rate right now.")
    owner = {"prompt_id": prompt.id, "user_id": actor.id}
    if helpful is None:
        old = own_rows.remove(PromptRating, "helpful", owner)
    else:
        old = own_rows.replace(PromptRating, "helpful", owner, HELPFUL_RACED, helpful=helpful)
    yes_delta = (1 if helpful is True else 0) - (1 if old is True else 0)
    no_delta = (1 if helpful is False else 0) - (1 if old is False else 0)
    yes, no = db.session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id)
        .values(helpful_yes=Prompt.helpful_yes + yes_delta, helpful_no=Prompt.helpful_no + no_delta)
        .returning(Prompt.helpful_yes, Prompt.helpful_no)
    ).one()
    db.session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id)
        .values(helpful_score=wilson_lower_bound(yes, no))
    )
    changes.record(db.session, Changes(prompt_votes={prompt.id}))
    db.session.commit()
    db.session.refresh(prompt)
    return HelpfulCounts(yes, no, helpful)


def seen_by(viewer, prompt: Prompt) -> PromptView:
    """The prompt as this viewer sees it: with their own helpful / not helpful vote."""
    return PromptView(prompt, my_prompt_rating(viewer, prompt))


def my_prompt_rating(actor, prompt: Prompt) -> bool | None:
    if actor is None:
        return None
    return db.session.scalar(
        select(PromptRating.helpful).where(
            PromptRating.prompt_id == prompt.id, PromptRating.user_id == actor.id
        )
    )
