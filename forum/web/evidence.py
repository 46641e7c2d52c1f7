"""What happened when members tried a strategy, as its card says it: "Tried by 12 · 9 worked ·
mostly 1:1". The counts are the contribution's own columns; where it was mostly tried comes from
the outcomes' split by setting, read once for all the cards of a page (`mostly_of`), never per
card."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from forum.models.outcome import RESULTS, SETTINGS
from forum.services import outcomes

# How the forms name each result and setting, and how the evidence line says "mostly ...".
RESULT_LABELS = {"worked": "It worked", "partly": "It partly worked", "didnt": "It didn't work"}
SETTING_LABELS = {
    "one_to_one": "One to one",
    "group": "In a group",
    "team": "With a team",
    "other": "Somewhere else",
}
MOSTLY = {
    "one_to_one": "1:1",
    "group": "in groups",
    "team": "with teams",
    "other": "in other settings",
}
RESULT_CHOICES = tuple((result, RESULT_LABELS[result]) for result in RESULTS)
SETTING_CHOICES = tuple((setting, SETTING_LABELS[setting]) for setting in SETTINGS)


def mostly(settings: Mapping[str, Mapping[str, int]]) -> str | None:
    """The setting that more than half of the reports naming a setting name (reports naming
    none do not count), or None when no setting holds that majority."""
    tried = {name: counts.get("tried", 0) for name, counts in settings.items() if name in MOSTLY}
    named = sum(tried.values())
    for name, count in tried.items():
        if 2 * count > named:
            return name
    return None


def mostly_of(tried: Iterable[int]) -> dict[int, str]:
    """contribution id -> how the evidence line says where it was mostly tried ("1:1"), for the
    contributions of a page that someone tried (`tried`, their ids) whose reports mostly name one
    setting: one query for them all, none when nobody tried any."""
    tried = list(tried)
    if not tried:
        return {}
    split = outcomes.by_setting(tried)
    return {ident: MOSTLY[name] for ident, settings in split.items() if (name := mostly(settings))}
