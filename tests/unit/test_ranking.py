"""The ranking functions of docs/architecture.md, "Ranking", on their worked values."""

from __future__ import annotations

import pytest

from forum.ranking import (
    outcome_success,
    place_fair_exposure,
    usefulness_score,
    usefulness_unit,
    wilson_lower_bound,
)


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [
        ((0, 0, 0, 0, 0), 2.047),
        ((0, 0, 0, 0, 1), 2.404),
        ((0, 0, 0, 0, 2), 2.697),
        ((0, 0, 0, 0, 40), 4.587),
        ((1, 1, 3, 15, 40), 4.221),
        ((25, 20, 75, 80, 60), 3.368),
    ],
)
def test_usefulness_score_matches_the_worked_values(histogram, expected):
    assert usefulness_score(histogram) == pytest.approx(expected, abs=0.0005)


def test_one_five_star_rating_ranks_below_forty_ratings_averaging_four_point_six():
    forty = (0, 0, 2, 12, 26)  # 40 ratings, average 4.6
    assert sum((k + 1) * n for k, n in enumerate(forty)) / 40 == pytest.approx(4.6)
    assert usefulness_score(forty) > usefulness_score((0, 0, 0, 0, 1))


def test_more_equal_ratings_raise_confidence_and_the_score():
    scores = [usefulness_score((0, 0, 0, 0, n)) for n in range(0, 30)]
    assert scores == sorted(scores)
    assert len(set(scores)) == len(scores)


def test_a_histogram_needs_exactly_five_counts():
    with pytest.raises(ValueError, match="five"):
        usefulness_score((1, 2, 3))


def test_unit_usefulness_maps_one_to_five_onto_zero_to_one():
    assert usefulness_unit(1.0) == 0.0
    assert usefulness_unit(5.0) == 1.0
    assert usefulness_unit(3.0) == 0.5


def test_wilson_lower_bound_is_zero_without_votes_and_grows_with_evidence():
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(1, 0) < wilson_lower_bound(10, 0) < wilson_lower_bound(100, 0)
    assert wilson_lower_bound(10, 2) == pytest.approx(0.5520, abs=0.0005)
    assert wilson_lower_bound(5, 5) < wilson_lower_bound(9, 1)


def _fair(order, fresh_newest_first):
    return place_fair_exposure(order, fresh_newest_first)


@pytest.mark.parametrize(
    ("worked", "partly", "didnt", "expected"),
    [
        (1, 0, 0, 0.2065),
        (3, 0, 0, 0.4385),
        (10, 0, 0, 0.7225),
        (9, 2, 1, 0.5520),
        (0, 0, 3, 0.0),
        (0, 2, 0, 0.0945),
    ],
)
def test_outcome_success_is_the_wilson_bound_of_what_worked_counting_partly_as_half(
    worked, partly, didnt, expected
):
    assert outcome_success(worked, partly, didnt) == pytest.approx(expected, abs=5e-4)


def test_outcome_success_is_none_until_someone_reports_and_rewards_evidence():
    assert outcome_success(0, 0, 0) is None
    # One "worked" is weaker evidence than nine of ten.
    assert outcome_success(1, 0, 0) < outcome_success(9, 0, 1)
    # "Partly" counts half: between worked and didn't.
    assert outcome_success(0, 0, 4) < outcome_success(0, 4, 0) < outcome_success(4, 0, 0)


def test_fair_exposure_needs_at_least_four_contributions():
    assert _fair(["a", "b", "c"], ["c"]) == (["a", "b", "c"], None)


def test_fair_exposure_moves_the_newest_little_rated_contribution_to_position_three():
    order, chosen = _fair(["a", "b", "c", "d", "e", "f"], ["f", "e"])
    assert chosen == "f"
    assert order == ["a", "b", "f", "c", "d", "e"]


def test_fair_exposure_skips_candidates_already_in_the_top_three():
    order, chosen = _fair(["a", "b", "c", "d", "e"], ["b", "c", "e"])
    assert chosen == "e"
    assert order == ["a", "b", "e", "c", "d"]


def test_fair_exposure_places_nothing_when_every_candidate_is_already_on_top():
    assert _fair(["a", "b", "c", "d"], ["a", "c"]) == (["a", "b", "c", "d"], None)
