"""Pure ranking functions: no database, no Flask. See docs/architecture.md, "Ranking"."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

LEVELS = 5
Z_STARS = 1.65
Z_WILSON = 1.96
FAIR_SLOT_INDEX = 2  # position 3 of the first page
FAIR_MIN_CONTRIBUTIONS = 4
FAIR_MAX_RATINGS = 5


def usefulness_score(histogram: Sequence[int]) -> float:
    """Lower bound of the Dirichlet posterior of a 1..5 star histogram (one prior rating per level).

    A contribution rated once at 5 stars scores below one rated forty times at 4.6 on average.
    """
    if len(histogram) != LEVELS:
        raise ValueError("a histogram has five counts, n1..n5")
    total = sum(histogram)
    denominator = total + LEVELS
    p = [(n + 1) / denominator for n in histogram]
    mean = sum((k + 1) * pk for k, pk in enumerate(p))
    second = sum((k + 1) ** 2 * pk for k, pk in enumerate(p))
    variance = (second - mean * mean) / (denominator + 1)
    return mean - Z_STARS * math.sqrt(max(variance, 0.0))


UNRATED_SCORE = usefulness_score((0, 0, 0, 0, 0))


def usefulness_unit(score: float) -> float:
    """Map a usefulness score (1..5) onto 0..1."""
    return min(1.0, max(0.0, (score - 1.0) / 4.0))


def wilson_lower_bound(yes: float, no: float, z: float = Z_WILSON) -> float:
    """Lower bound of the Wilson score interval of yes / (yes + no); 0 with no votes."""
    n = yes + no
    if n <= 0:
        return 0.0
    phat = yes / n
    z2 = z * z
    centre = phat + z2 / (2 * n)
    margin = z * math.sqrt((phat * (1 - phat) + z2 / (4 * n)) / n)
    return (centre - margin) / (1 + z2 / n)


def outcome_success(worked: int, partly: int, didnt: int, z: float = Z_WILSON) -> float | None:
    """How well a strategy worked for those who tried it: the Wilson lower bound of
    (worked + 0.5 x partly) / tried; None while nobody has reported."""
    tried = worked + partly + didnt
    if tried <= 0:
        return None
    successes = worked + 0.5 * partly
    return wilson_lower_bound(successes, tried - successes, z)


T = TypeVar("T")


def place_fair_exposure(
    ranked: Sequence[T], candidates: Sequence[T], *, key=lambda item: item
) -> tuple[list[T], T | None]:
    """Give position 3 of the usefulness order to a newcomer (docs/architecture.md, "Ranking").

    `ranked` is every visible contribution of a prompt in usefulness order; `candidates` are those
    with fewer than five ratings, newest first. When there are at least four, the newest candidate
    that is not already in the top three moves to position 3 and the rest shift down by one.
    Returns the new order and the item placed there, if any.
    """
    order = list(ranked)
    if len(order) < FAIR_MIN_CONTRIBUTIONS:
        return order, None
    top_keys = {key(item) for item in order[: FAIR_SLOT_INDEX + 1]}
    chosen = next((c for c in candidates if key(c) not in top_keys), None)
    if chosen is None:
        return order, None
    chosen_key = key(chosen)
    order = [item for item in order if key(item) != chosen_key]
    order.insert(FAIR_SLOT_INDEX, chosen)
    return order, chosen
