"""Usefulness ratings: one 1-5 score per member per contribution, changeable and removable.

Counters move only by SQL arithmetic inside the rating's own transaction: the histogram is
incremented in an UPDATE, and the score is computed from the row that UPDATE returned while the
transaction still holds it. Two members rating at once never lose an update.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, update

from forum.extensions import db
from forum.models import Contribution, Rating
from forum.models.types import utcnow
from forum.permissions import can
from forum.search import outbox
from forum.services import versions
from forum.services.errors import Forbidden, NotFound, invalid
from forum.services.ranking import usefulness_score

BUCKETS = (None, "n1", "n2", "n3", "n4", "n5")


def summary(contribution: Contribution) -> dict:
    """The rating block of the API: count, average, histogram and score."""
    return {
        "count": contribution.rating_count,
        "average": round(contribution.average, 3) if contribution.rating_count else None,
        "histogram": contribution.histogram,
        "score": round(contribution.score, 4),
    }


def _check(actor, contribution: Contribution) -> None:
    if contribution.status != "visible":
        raise NotFound("No such contribution.")
    if not can(actor, "rate_contribution", contribution):
        if contribution.author_id == getattr(actor, "id", None):
            raise Forbidden("You cannot rate your own contribution.")
        raise Forbidden("Your account cannot rate right now.")


def _move(contribution_id: int, old: int | None, new: int | None) -> None:
    """Shift the histogram from the old score to the new one and store the new usefulness score."""
    values = {}
    count_delta = (new is not None) - (old is not None)
    sum_delta = (new or 0) - (old or 0)
    for level in range(1, 6):
        delta = (new == level) - (old == level)
        if delta:
            column = getattr(Contribution, BUCKETS[level])
            values[BUCKETS[level]] = column + delta
    values["rating_count"] = Contribution.rating_count + count_delta
    values["rating_sum"] = Contribution.rating_sum + sum_delta
    histogram = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution_id)
        .values(**values)
        .returning(
            Contribution.n1, Contribution.n2, Contribution.n3, Contribution.n4, Contribution.n5
        )
        .execution_options(synchronize_session=False)
    ).one()
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution_id)
        .values(score=usefulness_score(tuple(histogram)))
        .execution_options(synchronize_session=False)
    )


def rate(actor, contribution: Contribution, score) -> dict:
    """Set the actor's score (1..5) for a contribution; returns the new rating summary."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise invalid("score", "A score is a whole number from 1 to 5.")
    _check(actor, contribution)
    # The first statement writes, so SQLite takes its write lock before anything is read.
    old = db.session.execute(
        delete(Rating)
        .where(Rating.contribution_id == contribution.id, Rating.user_id == actor.id)
        .returning(Rating.score, Rating.created_at)
        .execution_options(synchronize_session=False)
    ).first()
    now = utcnow()
    db.session.execute(
        insert(Rating).values(
            contribution_id=contribution.id,
            user_id=actor.id,
            score=score,
            created_at=old.created_at if old else now,
            updated_at=now,
        )
    )
    _move(contribution.id, old.score if old else None, score)
    # The score moved by SQL, unseen by the ORM: tell search and the page cache.
    outbox.enqueue("contribution", contribution.id)
    versions.touch(contribution.prompt_id)
    db.session.commit()
    db.session.refresh(contribution)
    return summary(contribution)


def unrate(actor, contribution: Contribution) -> None:
    """Remove the actor's rating, if any."""
    _check(actor, contribution)
    old = db.session.execute(
        delete(Rating)
        .where(Rating.contribution_id == contribution.id, Rating.user_id == actor.id)
        .returning(Rating.score)
        .execution_options(synchronize_session=False)
    ).scalar()
    if old is not None:
        _move(contribution.id, old, None)
        outbox.enqueue("contribution", contribution.id)
        versions.touch(contribution.prompt_id)
    db.session.commit()
