"""What a page of search results shows of each hit besides its text, so that readers can choose:
the prompt's title and address, who wrote the hit (the member's current name, or the name kept
when the account is gone), a contribution's ratings and the key point it answers.

Read for the chosen page only, live from the database (an index's copy of a name or a count may
lag), in one statement however many hits the page holds.

What happened when members tried the contributions found (`add_outcomes`) is read for every
hit, not only the page's, since the facets count them: one statement for all the candidates,
live too (no index holds outcomes).

The names of the topics a page shows come with the hits where the engine read them
(`topic_names`); only the others are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.id_lists import one_of
from forum.models import Contribution, KeyPoint, Prompt, Topic, User


@dataclass(frozen=True)
class Member:
    """A hit's author as pages show and link them."""

    username: str
    display_name: str


def _member(username: str | None, display_name: str | None) -> Member | None:
    return Member(username, display_name) if username is not None else None


_prompt_author, _contribution_author = aliased(User), aliased(User)
# Built once: a statement made afresh per page cost more than its answer (the aliases and joins
# are constructed and keyed anew each time); the lists of ids are parameters (forum/id_lists.py:
# one statement text whatever their length, which PostgreSQL keeps prepared).
_DETAILS = (
    select(
        Prompt.id,
        Prompt.title,
        Prompt.slug,
        Prompt.author_name,
        _prompt_author.username,
        _prompt_author.display_name,
        Contribution.id,
        Contribution.author_name,
        _contribution_author.username,
        _contribution_author.display_name,
        Contribution.rating_count,
        Contribution.rating_sum,
        KeyPoint.id,
        KeyPoint.title,
    )  # fmt: skip
    .select_from(Prompt)
    .outerjoin(_prompt_author, _prompt_author.id == Prompt.author_id)
    .outerjoin(
        Contribution,
        and_(
            Contribution.prompt_id == Prompt.id,
            one_of(Contribution.id, "contributions"),
        ),
    )
    .outerjoin(_contribution_author, _contribution_author.id == Contribution.author_id)
    .outerjoin(KeyPoint, KeyPoint.id == Contribution.key_point_id)
    .where(one_of(Prompt.id, "prompts"))
)


# Only the rows someone tried come back: most hits have no outcome and cost no row.
_OUTCOMES = select(
    Contribution.id, Contribution.outcome_count, Contribution.outcome_worked, Contribution.success
).where(
    one_of(Contribution.id, "ids"),
    Contribution.outcome_count > 0,
)


_TOPIC_NAMES = select(Topic.slug, Topic.name).where(one_of(Topic.slug, "slugs"))


def topic_names(page) -> dict[str, str]:
    """The names of the topics a page of results shows (its hits' and its topic facets'), by
    slug: as the engine read them with the hits (`page.topic_names`), and those it did not name
    read here, in one statement."""
    shown = {r.topic for r in page.items if r.topic} | set(page.facets.get("topics", ()))
    names = {slug: page.topic_names[slug] for slug in shown if slug in page.topic_names}
    unnamed = sorted(shown - names.keys())
    if unnamed:
        names.update(db.session.execute(_TOPIC_NAMES, {"slugs": unnamed}).all())
    return names


def add_outcomes(results: list) -> None:
    """Fill in each contribution result with what happened when members tried it: `tried`,
    `worked` and `success` (None while nobody has)."""
    ids = [r.id for r in results if r.type == "contribution"]
    if not ids:
        return
    found = {row[0]: row[1:] for row in db.session.execute(_OUTCOMES, {"ids": ids})}
    for result in results:
        if result.type == "contribution" and result.id in found:
            result.tried, result.worked, result.success = found[result.id]


def add_details(results: list) -> None:
    """Fill in each result of the page (forum/services/search.py's Result) with its prompt's
    title and slug, its author, and for a contribution its ratings and key point."""
    if not results:
        return
    prompt_ids = sorted({r.prompt_id for r in results})
    contribution_ids = [r.id for r in results if r.type == "contribution"]
    rows = db.session.execute(
        _DETAILS, {"prompts": prompt_ids, "contributions": contribution_ids}
    ).all()
    prompts, contributions = {}, {}
    for row in rows:
        prompts[row[0]] = (row[1], row[2], _member(row[4], row[5]), row[3])
        if row[6] is not None:
            contributions[row[6]] = (_member(row[8], row[9]), row[7], *row[10:])
    for result in results:
        if result.prompt_id not in prompts:
            continue
        title, slug, author, author_name = prompts[result.prompt_id]
        result.title = result.title or title
        result.prompt_slug = slug
        if result.type == "prompt":
            result.author, result.author_name = author, author_name
        elif result.id in contributions:
            author, author_name, count, total, key_point_id, key_point = contributions[result.id]
            result.author, result.author_name = author, author_name
            result.rating_count = count
            result.rating_average = total / count if count else None
            result.key_point_id, result.key_point = key_point_id, key_point or ""
