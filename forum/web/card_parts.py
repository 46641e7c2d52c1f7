"""What each reader sees of their own under a contribution's card on its prompt's page: the
fillers of the part(...) holes in templates/macros/contributions.html (forum/page_parts.py). A
page has 50 cards: what the member did to them is looked up once for the page, and cards alike
in what their macro is passed share one stamped variant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from forum.page_parts import Fill, filler, macro
from forum.permissions import can
from forum.services.member_state import NOBODY
from forum.web.card_notices import notices_by_card
from forum.web.evidence import RESULT_CHOICES, SETTING_CHOICES
from forum.web.forms import FLAG_CHOICES

CARDS = "macros/contributions.html"
MODERATION = "macros/moderation.html"
OUTCOME_CHOICES = (RESULT_CHOICES, SETTING_CHOICES)


@dataclass(frozen=True)
class CardFacts:
    """What `can` and a card's forms read of a contribution."""

    id: int
    author_id: int | None
    status: str
    deleted_by_author: bool
    featured: bool = False


class CardActions(NamedTuple):
    """What the reader may do with a contribution, under its card on the prompt's page (a
    tuple, so that it keys kept variants as a plain value)."""

    rate: bool
    own: bool
    edit: bool
    delete: bool
    flag: bool
    hide: bool
    restore: bool
    outcome: bool = False  # report what happened when they tried it
    save: bool = False  # save it to their playbook, or take it out


def card_actions(person, own: bool, status: str, deleted_by_author: bool) -> CardActions:
    """What `person` may do with a card whose author they are (`own`) or not, in `status`: all
    that `can` reads of a contribution, so cards alike in these get the same actions."""
    facts = CardFacts(0, person.id if own else None, status, deleted_by_author)
    return CardActions(
        rate=can(person, "rate_contribution", facts),
        own=own,
        edit=can(person, "edit_contribution", facts),
        delete=can(person, "delete_contribution", facts),
        flag=can(person, "flag", facts),
        hide=can(person, "hide"),
        restore=can(person, "restore", facts),
        outcome=can(person, "report_outcome", facts),
        save=can(person, "save_strategy", facts),
    )


def _writes(person, author_id) -> bool:
    return person is not None and author_id is not None and author_id == person.id


@dataclass
class _PageMarks:
    """What every card's actions read of the member, looked up once for the page: a card
    then costs a few dictionary lookups (a page has 50 cards, and a member rated most)."""

    person_id: int | None
    ratings: Mapping[int, int]
    outcomes: Mapping[int, str]
    saved: frozenset[int]
    flagged: frozenset[int]
    notices: dict[int, list[tuple[str, str]]]
    variants: dict[tuple, list[bytes]]


def _page_marks(fill: Fill) -> _PageMarks:
    def read() -> _PageMarks:
        state = fill.state or NOBODY
        person = fill.person
        return _PageMarks(
            person.id if person is not None else None,
            state.ratings,
            state.outcomes,
            state.saved,
            state.flagged,
            notices_by_card(fill),
            {},
        )

    return fill.memo(("page_marks",), read)


@filler("card_actions")
def _card_actions(fill: Fill, ident, author_id, status, deleted_by_author, featured, back) -> bytes:
    # Run for every card of the page: cards alike in what is passed to the macro share one
    # stamped variant, looked up by these few values.
    marks = _page_marks(fill)
    alike = (
        author_id is not None and author_id == marks.person_id,  # their own
        status,
        deleted_by_author,
        featured,
        marks.ratings.get(ident),
        marks.outcomes.get(ident),
        ident in marks.saved,
        back,
        ident in marks.flagged,
    )
    found = marks.variants.get(alike)
    if found is None:
        found = marks.variants[alike] = _card_variant(fill, *alike)
    written = (b"%d" % ident).join(found)
    notices = marks.notices.get(ident)
    if notices:  # what the reader just did to this card: said here, never kept
        said = "".join(macro(CARDS, "card_notice")(*notice) for notice in notices)
        written = said.encode() + written
    return written


def _card_variant(
    fill: Fill, own, status, deleted_by_author, featured, rated, tried, saved, back, flagged
) -> list[bytes]:
    """The stamped pieces of the forms and links under a card of this kind."""
    # The same for every rating the member gave: asked once per kind of card and page.
    actions = fill.memo(
        ("card_actions", own, status, deleted_by_author),
        lambda: card_actions(fill.person, own, status, deleted_by_author),
    )
    mine = rated if actions.rate else None
    outcome = tried if actions.outcome else None
    saved = saved and actions.save
    flagged = flagged and not own
    key = ("card_actions", *actions, status, deleted_by_author, featured, mine, outcome, saved)
    return fill.stamped(
        (*key, back, flagged),
        lambda stand_in: macro(CARDS, "card_actions")(
            CardFacts(stand_in, None, status, deleted_by_author, featured),
            actions,
            mine,
            back,
            FLAG_CHOICES,
            outcome,
            saved,
            OUTCOME_CHOICES,
            flagged,
        ),
    )


@filler("hidden_notice")
def _hidden_notice(fill: Fill, author_id, deleted_by_author, reason) -> bytes | str:
    person = fill.person
    facts = CardFacts(0, author_id, "hidden", deleted_by_author)
    to_its_author = _writes(person, author_id) and not can(person, "restore", facts)
    key = ("hidden_notice", reason, to_its_author)
    return fill.variant(key, lambda: macro(MODERATION, "hidden_notice")(*key[1:]))
