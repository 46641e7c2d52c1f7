"""Profiles: what a member wrote, their reputation, and the export of their data."""

from __future__ import annotations

from sqlalchemy import case, func, select

from forum.extensions import db
from forum.models import Contribution, Flag, Prompt, PromptRating, Rating, User
from forum.ranking import UNRATED_SCORE
from forum.services.paging import Page, paginate


def reputation(user: User) -> float:
    """Sum over visible contributions of max(0, score - unrated score)."""
    gain = case((Contribution.score > UNRATED_SCORE, Contribution.score - UNRATED_SCORE), else_=0.0)
    total = db.session.scalar(
        select(func.coalesce(func.sum(gain), 0.0)).where(
            Contribution.author_id == user.id, Contribution.status == "visible"
        )
    )
    return round(float(total or 0.0), 3)


def contribution_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Contribution.id)).where(
            Contribution.author_id == user.id, Contribution.status == "visible"
        )
    )


def contributions_of(user: User, page=1, per_page=20) -> Page:
    query = (
        select(Contribution)
        .where(Contribution.author_id == user.id, Contribution.status == "visible")
        .order_by(Contribution.score.desc(), Contribution.id.desc())
    )
    return paginate(query, page, per_page)


def _iso(value):
    return value.isoformat() if value is not None else None


def export(user: User) -> dict:
    """Everything the member wrote or rated, as one JSON-ready document."""
    contributions = db.session.scalars(
        select(Contribution).where(Contribution.author_id == user.id).order_by(Contribution.id)
    )
    ratings = db.session.scalars(
        select(Rating).where(Rating.user_id == user.id).order_by(Rating.id)
    )
    prompt_ratings = db.session.scalars(
        select(PromptRating).where(PromptRating.user_id == user.id).order_by(PromptRating.id)
    )
    prompts = db.session.scalars(
        select(Prompt).where(Prompt.author_id == user.id).order_by(Prompt.id)
    )
    flags = db.session.scalars(select(Flag).where(Flag.reporter_id == user.id).order_by(Flag.id))
    return {
        "user": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "headline": user.headline,
            "bio": user.bio,
            "role": user.role,
            "status": "suspended" if user.is_suspended else "active",
            "joined_at": _iso(user.joined_at),
        },
        "prompts": [
            {"id": p.id, "title": p.title, "intro": p.intro, "created_at": _iso(p.created_at)}
            for p in prompts
        ],
        "contributions": [
            {
                "id": c.id,
                "prompt_id": c.prompt_id,
                "key_point_id": c.key_point_id,
                "body": c.body,
                "status": c.status,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
                # A redacted revision's text is gone for good: an empty body, marked.
                "revisions": [
                    {"body": r.body, "edited_at": _iso(r.edited_at), "redacted": r.redacted}
                    for r in c.revisions
                ],
            }
            for c in contributions
        ],
        "ratings": [
            {"contribution_id": r.contribution_id, "score": r.score, "rated_at": _iso(r.updated_at)}
            for r in ratings
        ],
        "prompt_ratings": [
            {"prompt_id": r.prompt_id, "helpful": r.helpful, "rated_at": _iso(r.created_at)}
            for r in prompt_ratings
        ],
        "flags": [
            {
                "contribution_id": f.contribution_id,
                "reason": f.reason,
                "note": f.note,
                "status": f.status,
                "created_at": _iso(f.created_at),
            }
            for f in flags
        ],
    }
