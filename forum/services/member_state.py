"""What a member has done on a prompt's page, the part of the page that is theirs alone: their
ratings of its contributions, their helpful vote on the prompt, their open flags on its
contributions, which of their own contributions there are hidden (the page then lists those
too), and what of it they follow.

One small query, whatever the state grows to hold: each kind of mark is one more SELECT in
`_facts` and one more field of `MemberState` (outcomes and saves joined as follows did).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlalchemy import Integer, and_, bindparam, case, cast, literal_column, or_, select, union_all

from forum.extensions import db
from forum.models import (
    Contribution,
    Flag,
    KeyPoint,
    Outcome,
    PromptRating,
    Rating,
    SavedStrategy,
    Subscription,
)
from forum.models.outcome import RESULTS
from forum.services import inbox


@dataclass(frozen=True)
class MemberState:
    """One member's own marks on one prompt's page (nobody's: all empty)."""

    # contribution id -> the member's usefulness score, 1 to 5
    ratings: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))
    # their helpful / not helpful vote on the prompt; None when they have not voted
    helpful: bool | None = None
    # their own contributions on this prompt that a moderator hid
    hidden_own: frozenset[int] = frozenset()
    # ("prompt" or "key_point", id) -> "watching" or "muted": what they follow on the page
    follows: Mapping[tuple[str, int], str] = field(default_factory=lambda: MappingProxyType({}))
    # their unread notifications, as the header's badge counts them (None: not asked)
    unread: int | None = None
    # contribution id -> what happened when they tried it: worked, partly or didnt
    outcomes: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    # contributions of this prompt in their playbook
    saved: frozenset[int] = frozenset()
    # contributions of this prompt they flagged, while a moderator has not settled the flag
    flagged: frozenset[int] = frozenset()


NOBODY = MemberState()


def _sql(value: str | int):
    """A constant written into the statement, not bound: every member's page passes 22
    parameters instead of 47, and the planner sees the values it compares (`status = 'open'`)."""
    return literal_column(f"'{value}'" if isinstance(value, str) else str(value))


def _facts():
    """(kind, id, value) rows: one SELECT per kind of mark, as one UNION ALL. Built once: every
    member's page asks it. Ratings are found through the prompt's contributions, so the work
    grows with the prompt, not with how much the member has rated elsewhere; open flags through
    the member's own index of them, not through everyone's."""
    member, prompt = bindparam("member_id"), bindparam("prompt_id")
    on_prompt = select(Contribution.id).where(Contribution.prompt_id == prompt)
    return union_all(
        select(_sql("rating"), Rating.contribution_id, Rating.score).where(
            Rating.user_id == member, Rating.contribution_id.in_(on_prompt)
        ),
        select(_sql("helpful"), PromptRating.prompt_id, cast(PromptRating.helpful, Integer)).where(
            PromptRating.user_id == member, PromptRating.prompt_id == prompt
        ),
        select(_sql("hidden_own"), Contribution.id, _sql(1)).where(
            Contribution.prompt_id == prompt,
            Contribution.author_id == member,
            Contribution.status == _sql("hidden"),
        ),
        select(
            Subscription.target_type,
            Subscription.target_id,
            case((Subscription.level == _sql("muted"), _sql(0)), else_=_sql(1)),
        ).where(
            Subscription.user_id == member,
            or_(
                and_(Subscription.target_type == _sql("prompt"), Subscription.target_id == prompt),
                and_(
                    Subscription.target_type == _sql("key_point"),
                    Subscription.target_id.in_(
                        select(KeyPoint.id).where(KeyPoint.prompt_id == prompt)
                    ),
                ),
            ),
        ),
        select(
            _sql("outcome"),
            Outcome.contribution_id,
            case(
                *((Outcome.result == _sql(r), _sql(i)) for i, r in enumerate(RESULTS)),
                else_=_sql(-1),
            ),
        ).where(Outcome.user_id == member, Outcome.contribution_id.in_(on_prompt)),
        select(_sql("saved"), SavedStrategy.contribution_id, _sql(1)).where(
            SavedStrategy.user_id == member, SavedStrategy.contribution_id.in_(on_prompt)
        ),
        select(_sql("flagged"), Flag.contribution_id, _sql(1)).where(
            Flag.reporter_id == member,
            Flag.status == _sql("open"),
            Flag.comment_id.is_(None),
            Flag.contribution_id.in_(on_prompt),
        ),
        # The header's unread count rides along: one round trip for the member's page.
        select(_sql("unread"), _sql(0), inbox.BADGE_COUNT),
    )


_FACTS = _facts()


def on_prompt(member, prompt_id: int) -> MemberState:
    """The member's marks on this prompt and its contributions; NOBODY for a reader who is not
    signed in, without asking the database."""
    if member is None:
        return NOBODY
    ratings: dict[int, int] = {}
    helpful: bool | None = None
    hidden: set[int] = set()
    follows: dict[tuple[str, int], str] = {}
    unread: int | None = None
    outcomes: dict[int, str] = {}
    saved: set[int] = set()
    flagged: set[int] = set()
    params = {"member_id": member.id, "prompt_id": prompt_id}
    for kind, ident, value in db.session.connection().execute(_FACTS, params).all():
        if kind == "rating":
            ratings[ident] = value
        elif kind == "helpful":
            helpful = bool(value)
        elif kind == "hidden_own":
            hidden.add(ident)
        elif kind == "unread":
            unread = value
        elif kind == "outcome":
            outcomes[ident] = RESULTS[value]
        elif kind == "saved":
            saved.add(ident)
        elif kind == "flagged":
            flagged.add(ident)
        else:  # a follow of the prompt or one of its key points
            follows[(kind, ident)] = "watching" if value else "muted"
    return MemberState(
        MappingProxyType(ratings),
        helpful,
        frozenset(hidden),
        MappingProxyType(follows),
        unread,
        MappingProxyType(outcomes),
        frozenset(saved),
        frozenset(flagged),
    )
