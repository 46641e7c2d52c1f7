"""Usefulness ratings: one 1-5 score per member per contribution, changeable and removable.

Counters move only by SQL arithmetic inside the rating's own transaction: the histogram is
incremented in an UPDATE, and the score is computed from the row that UPDATE returned while the
transaction still holds it. Two members rating at once never lose an update, and one member's
rating sent twice at once is saved once: the second insert finds the first one's row (ON CONFLICT
DO NOTHING), replaces it in turn, and moves the counters from the score it held.
"""

from __future__ import annotations

from sqlalchemy import update

from forum import changes
from forum.changes import Changes
from forum.extensions import db
from forum.models import Contribution, Rating
from forum.permissions import can
from forum.ranking import usefulness_score
from forum.services import own_rows
from forum.services.errors import Forbidden, NotFound, invalid

BUCKETS = (None, "n1", "n2", "n3", "n4", "n5")
RACED = "Your rating changed in another request at the same moment; please try again."


def _owner(actor, contribution: Contribution) -> dict:
    return {"contribution_id": contribution.id, "user_id": actor.id}


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


# What a rating moves, read back for the answer (the rest of the row, its tags and its source
# stay unread).
COUNTERS = ["rating_count", "rating_sum", "n1", "n2", "n3", "n4", "n5", "score"]


def rate(actor, contribution: Contribution, score) -> Contribution:
    """Set the actor's score (1..5) for a contribution; returns it with its counters as they now
    are."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise invalid("score", "A score is a whole number from 1 to 5.")
    _check(actor, contribution)
    old = own_rows.replace(Rating, "score", _owner(actor, contribution), RACED, score=score)
    _move(contribution.id, old, score)
    # The score moved by SQL, unseen by the ORM: say so to the change stream.
    changes.record(db.session, Changes(rescored={contribution.id: contribution.prompt_id}))
    db.session.commit()
    db.session.refresh(contribution, COUNTERS)
    return contribution


def unrate(actor, contribution: Contribution) -> None:
    """Remove the actor's rating, if any."""
    _check(actor, contribution)
    old = own_rows.remove(Rating, "score", _owner(actor, contribution))
    if old is not None:
        _move(contribution.id, old, None)
        changes.record(db.session, Changes(rescored={contribution.id: contribution.prompt_id}))
    db.session.commit()
