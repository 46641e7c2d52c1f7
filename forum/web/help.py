"""Help pages: how the order of contributions is decided, in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template

from forum import ranking as order

bp = Blueprint("help", __name__)

# The worked example: one 5-star rating against forty ratings that average 4.6.
ONE_FIVE = (0, 0, 0, 0, 1)
FORTY = (0, 1, 2, 9, 28)
ONE_TWO = (0, 1, 0, 0, 0)


@dataclass(frozen=True)
class Example:
    """A rating histogram (n1..n5) as the page shows it: how many ratings, their average, and
    the cautious estimate that orders contributions (forum/ranking.py)."""

    histogram: tuple[int, ...]

    @property
    def count(self) -> int:
        return sum(self.histogram)

    @property
    def average(self) -> float | None:
        if not self.count:
            return None
        return sum(stars * n for stars, n in enumerate(self.histogram, start=1)) / self.count

    @property
    def score(self) -> float:
        return order.usefulness_score(self.histogram)


@bp.get("/help/ranking")
def ranking():
    """How ranking works, with figures computed by the ranking's own functions."""
    return render_template(
        "ranking.html",
        one_five=Example(ONE_FIVE),
        forty=Example(FORTY),
        one_two=Example(ONE_TWO),
        unrated=Example((0, 0, 0, 0, 0)),
        fair_slot=order.FAIR_SLOT_INDEX + 1,
        fair_min=order.FAIR_MIN_CONTRIBUTIONS,
        fair_max_ratings=order.FAIR_MAX_RATINGS,
    )
