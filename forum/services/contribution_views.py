"""Contributions as one reader sees them: the row with the reader's own rating and outcome of
it, which one holds a listing's fair-exposure slot, and its outcomes by setting (what the
schemas dump, forum/models/contribution.py's ContributionView)."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.id_lists import one_of
from forum.models import Contribution, Outcome, Rating
from forum.models.contribution import ContributionView
from forum.services import outcomes


def _own(model, value, viewer, contribution_ids: list[int]) -> dict:
    """The viewer's own `value` of `model` (a row per member per contribution), by contribution."""
    if viewer is None or not contribution_ids:
        return {}
    statement = select(model.contribution_id, value).where(
        model.user_id == viewer.id, one_of(model.contribution_id, "ids")
    )
    return dict(db.session.execute(statement, {"ids": contribution_ids}).all())


def my_ratings(viewer, contribution_ids: list[int]) -> dict[int, int]:
    """The viewer's own scores for these contributions."""
    return _own(Rating, Rating.score, viewer, contribution_ids)


def my_outcomes(viewer, contribution_ids: list[int]) -> dict[int, str]:
    """What the viewer reported when they tried these contributions (worked, partly, didnt)."""
    return _own(Outcome, Outcome.result, viewer, contribution_ids)


def seen_by(viewer, rows: list[Contribution], new_id: int | None = None) -> list[ContributionView]:
    """The contributions as this viewer sees them: their own rating and outcome of each, which
    one (the `new_id` of a listing) holds the fair-exposure slot, and their outcomes by setting
    (one query for the page, none when nobody reported on it)."""
    ids = [c.id for c in rows]
    mine = my_ratings(viewer, ids)
    tried = my_outcomes(viewer, ids)
    settings = outcomes.by_setting([c.id for c in rows if c.outcome_count])
    return [
        ContributionView(c, mine.get(c.id), c.id == new_id, tried.get(c.id), settings.get(c.id, {}))
        for c in rows
    ]


def seen_new(contribution: Contribution) -> ContributionView:
    """A contribution just shared, as its author sees it: nobody has rated or tried it yet, so
    there is nothing of theirs (or anyone's outcomes) to read."""
    return ContributionView(contribution, outcomes_by_setting={})
