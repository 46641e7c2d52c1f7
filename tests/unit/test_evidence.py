"""Where a strategy was mostly tried, as its evidence line says it (forum/web/evidence.py): the
setting that more than half of the reports naming a setting name."""

from __future__ import annotations

import pytest

from forum.web.evidence import mostly


def split(**tried: int) -> dict[str, dict[str, int]]:
    return {name: {"tried": n, "worked": n, "partly": 0, "didnt": 0} for name, n in tried.items()}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (split(), None),
        (split(one_to_one=1), "one_to_one"),
        (split(one_to_one=2, group=1), "one_to_one"),
        (split(one_to_one=1, group=1), None),
        (split(one_to_one=2, group=1, team=1), None),
        (split(team=3, group=1, other=1), "team"),
        (split(other=5, one_to_one=4), "other"),
    ],
)
def test_a_setting_is_said_only_when_it_holds_more_than_half_of_the_reports_naming_one(
    settings, expected
):
    assert mostly(settings) == expected


def test_a_setting_the_site_does_not_know_is_not_counted():
    assert mostly({"moon": {"tried": 9}, "group": {"tried": 1}}) == "group"
