"""Profiles: what a member wrote, their reputation, and the export of their data."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select

from forum.extensions import db
from forum.models import (
    Comment,
    Contribution,
    Flag,
    Outcome,
    Prompt,
    PromptRating,
    Rating,
    SavedStrategy,
    User,
)
from forum.ranking import UNRATED_SCORE
from forum.services.paging import Page, paginate


@dataclass(frozen=True)
class Profile:
    """A member as their profile shows them: the account, how many visible contributions they
    wrote, their reputation (usefulness), and how often others tried their visible strategies
    (`outcomes`: `tried`, and how many of those `worked`)."""

    user: User
    contribution_count: int
    reputation: float
    outcomes: dict = field(default_factory=lambda: {"tried": 0, "worked": 0})
    # Reputation as a person reads it: how many visible contributions the ratings put above an
    # unrated one (`rated_useful`), and how many members rated those (`useful_raters`).
    rated_useful: int = 0
    useful_raters: int = 0


@dataclass(frozen=True)
class MemberExport:
    """Everything a member wrote or rated, oldest first in each list."""

    user: User
    prompts: list[Prompt]
    contributions: list[Contribution]
    ratings: list[Rating]
    prompt_ratings: list[PromptRating]
    flags: list[Flag]
    comments: list[Comment]
    saved_strategies: list[SavedStrategy]  # their playbook
    # What they reported when they tried others' strategies, their private notes included.
    outcomes: list[Outcome]


# What the ratings added over an unrated contribution: reputation is the sum of it.
_GAIN = case((Contribution.score > UNRATED_SCORE, Contribution.score - UNRATED_SCORE), else_=0.0)


def profile_of(user: User) -> Profile:
    """The member's profile: their counts over their visible contributions, in one query (a
    hidden contribution stops counting, and counts again once restored)."""
    visible = and_(Contribution.author_id == user.id, Contribution.status == "visible")
    useful = Contribution.score > UNRATED_SCORE
    raters = (
        select(func.count(func.distinct(Rating.user_id)))
        .join(Contribution, Contribution.id == Rating.contribution_id)
        .where(visible, useful)
        .scalar_subquery()
    )
    count, gain, tried, worked, rated_useful, rated_by = db.session.execute(
        select(
            func.count(Contribution.id),
            func.coalesce(func.sum(_GAIN), 0.0),
            func.coalesce(func.sum(Contribution.outcome_count), 0),
            func.coalesce(func.sum(Contribution.outcome_worked), 0),
            func.coalesce(func.sum(case((useful, 1), else_=0)), 0),
            raters,
        ).where(visible)
    ).one()
    outcomes = {"tried": int(tried), "worked": int(worked)}
    return Profile(
        user,
        int(count),
        round(float(gain or 0.0), 3),
        outcomes,
        int(rated_useful or 0),
        int(rated_by or 0),
    )


def reputation(user: User) -> float:
    """Sum over visible contributions of max(0, score - unrated score)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(_GAIN), 0.0)).where(
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


def export(user: User) -> MemberExport:
    """Everything the member wrote or rated (the schema makes it one JSON document)."""

    def mine(model, owner):
        return list(db.session.scalars(select(model).where(owner == user.id).order_by(model.id)))

    return MemberExport(
        user=user,
        prompts=mine(Prompt, Prompt.author_id),
        contributions=mine(Contribution, Contribution.author_id),
        ratings=mine(Rating, Rating.user_id),
        prompt_ratings=mine(PromptRating, PromptRating.user_id),
        flags=mine(Flag, Flag.reporter_id),
        comments=mine(Comment, Comment.author_id),
        saved_strategies=mine(SavedStrategy, SavedStrategy.user_id),
        outcomes=mine(Outcome, Outcome.user_id),
    )
