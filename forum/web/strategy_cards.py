"""The cards of a strategies page, each kept under its prompt's page version.

A strategy's card (its prompt's title, the contribution, its author, ratings and what members
reported trying it) looks the same to every reader, and the version of its prompt's page moves
with every change to what the card shows (forum/services/versions.py), so a card found under the
current version is never stale. A page reads its rows' ids and versions (one narrow statement),
takes the cards the cache holds, and loads and renders only the others: a list that a rating
elsewhere does not change costs no card of its own. With no cache (NullCache) every card is
rendered, as before.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from forum.extensions import cache
from forum.services import strategies
from forum.web import evidence

LEVEL = 2  # the cards' headings, under the page's


def key(row) -> str:
    """Where the card of a listed row (id, prompt_id, version) is kept."""
    return f"strategy-card:{row.id}:{row.prompt_id}:{row.version}"


def cards(rows) -> list[Markup]:
    """The card of each listed row, in order (a contribution gone since it was listed has
    none)."""
    keys = [key(row) for row in rows]
    found = dict(zip(keys, cache.get_many(*keys), strict=True)) if keys else {}
    missing = [row.id for row, k in zip(rows, keys, strict=True) if found[k] is None]
    if missing:
        fresh = _rendered(strategies.loaded(missing))
        built = {key(row): fresh[row.id] for row in rows if row.id in fresh}
        cache.set_many(built)
        found.update(built)
    return [Markup(found[k]) for k in keys if found[k] is not None]  # noqa: S704 - rendered here


def _rendered(contributions) -> dict[int, str]:
    card = get_template_attribute("macros/contributions.html", "contribution_card")
    # Where the strategies members tried were mostly tried: one query for those rendered.
    mostly = evidence.mostly_of(c.id for c in contributions if c.outcome_count)
    return {c.id: str(card(c, level=LEVEL, in_prompt=False, mostly=mostly)) for c in contributions}
