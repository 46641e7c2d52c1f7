"""What each reader sees of their own on a page: the fillers of the part(...) holes that the
templates leave (forum/page_parts.py). Each takes the page's `Fill` (who is reading and what
they did on the page) and the hole's arguments, and writes HTML with a macro that is passed
everything it shows. What many members see alike is kept as a variant, keyed by exactly what
the macro is passed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from flask import get_flashed_messages
from wtforms import SelectChoice

from forum.page_parts import Fill, filler, macro
from forum.permissions import can, is_active
from forum.services import inbox
from forum.services.member_state import NOBODY
from forum.web.card_notices import card_of
from forum.web.evidence import RESULT_CHOICES, SETTING_CHOICES
from forum.web.forms import FLAG_CHOICES, ContributionForm

SITE = "macros/site.html"
PROMPTS = "macros/prompts.html"
CARDS = "macros/contributions.html"
MODERATION = "macros/moderation.html"
FOLLOWING = "macros/following.html"
OUTCOME_CHOICES = (RESULT_CHOICES, SETTING_CHOICES)
# The largest unread count the inbox badge tells apart: it says "99+" past 99.
BADGE_SHOWN = 100


# --- every page's header --------------------------------------------------------------------


@filler("staff_links")
def _staff_links(fill: Fill, endpoint, blueprint) -> bytes | str:
    person = fill.person
    may = (can(person, "create_prompt"), can(person, "work_flags"))
    key = ("staff_links", *may, endpoint, blueprint)
    return fill.variant(key, lambda: macro(SITE, "staff_links")(*key[1:]))


@filler("account_links")
def _account_links(fill: Fill, endpoint, blueprint, back) -> bytes | str:
    if fill.person is None:
        key = ("reader_links", endpoint, back)
        return fill.variant(key, lambda: macro(SITE, "reader_links")(endpoint, back))
    # Their inbox's unread count: one small query, which a prompt's page asked with the
    # member's marks (member_state.on_prompt). The link is kept for each count the badge
    # shows (past 99 it says "99+"); their name is rendered for them and never kept.
    state = fill.state
    count = state.unread if state is not None and state.unread is not None else None
    if count is None:
        count = inbox.unread_badge(fill.person.id)
    count = min(count, BADGE_SHOWN)
    unread = fill.variant(
        ("inbox_link", count, blueprint), lambda: macro(FOLLOWING, "inbox_link")(count, blueprint)
    )
    name = str(macro(SITE, "member_name")(fill.person)).encode()
    links = fill.variant(
        ("member_links", blueprint), lambda: macro(SITE, "member_links")(blueprint)
    )
    return b"".join((unread, name, links))


@filler("flash_messages")
def _flash_messages(fill: Fill) -> bytes | str:
    """The page's messages; one about a card on this page is said on that card instead."""
    messages = []
    for category, message in get_flashed_messages(with_categories=True):
        card = card_of(category)
        if card is not None:
            if card[0] in _cards_on_page(fill):
                continue
            category = card[1]
        messages.append((category, message))
    return macro(SITE, "flash_messages")(messages) if messages else ""


def _cards_on_page(fill: Fill) -> frozenset[int]:
    """The contributions whose card (with its actions) this page shows."""
    holes = fill.shared.holes if fill.shared is not None else ()
    return fill.memo(
        ("cards_on_page",),
        lambda: frozenset(args[0] for name, args in holes if name == "card_actions"),
    )


def _card_notices(fill: Fill) -> dict[int, list[tuple[str, str]]]:
    """contribution id -> the messages said on its card (read once for the page)."""

    def read() -> dict[int, list[tuple[str, str]]]:
        found: dict[int, list[tuple[str, str]]] = {}
        for category, message in get_flashed_messages(with_categories=True):
            card = card_of(category)
            if card is not None:
                found.setdefault(card[0], []).append((card[1], message))
        return found

    return fill.memo(("card_notices",), read)


@filler("email_reminder")
def _email_reminder(fill: Fill) -> bytes | str:
    """A signed-in member whose address is not confirmed yet is reminded on every page (their
    row is loaded already: no query)."""
    person = fill.person
    if person is None or person.email_confirmed_at is not None:
        return ""
    return macro(SITE, "email_reminder")(person.email)  # their address: never kept


# --- a prompt's page ------------------------------------------------------------------------


@filler("prompt_edit_link")
def _prompt_edit_link(fill: Fill, prompt_id) -> bytes | str:
    key = ("prompt_edit_link", can(fill.person, "edit_prompt"), prompt_id)
    return fill.variant(key, lambda: macro(PROMPTS, "prompt_edit_link")(*key[1:]))


@filler("prompt_tools")
def _prompt_tools(fill: Fill, prompt_id, status) -> bytes | str:
    key = ("prompt_tools", can(fill.person, "edit_prompt"), prompt_id, status)
    return fill.variant(key, lambda: macro(MODERATION, "prompt_tools")(*key[1:]))


@filler("helpful_vote")
def _helpful_vote(fill: Fill, prompt_id, login_path) -> bytes | str:
    person, mine = fill.person, None
    if person is None:
        kind = "login"
    elif can(person, "rate_prompt"):
        kind, mine = "forms", (fill.state or NOBODY).helpful
    else:
        kind = ""
    key = ("helpful_vote", kind, prompt_id, mine, login_path)
    return fill.variant(key, lambda: macro(PROMPTS, "helpful_vote")(*key[1:]))


@filler("contribute")
def _contribute(fill: Fill, prompt_id, status, key_points, login_path) -> bytes | str:
    """The contribute form, or why there is none."""
    person, area = fill.person, macro(PROMPTS, "contribute_area")
    if status != "open":
        return fill.variant(("contribute", status), lambda: area(status, prompt_id))
    if person is None:
        key = ("contribute", "anonymous", prompt_id, login_path)
        return fill.variant(key, lambda: area("anonymous", prompt_id, login_path=login_path))
    if not is_active(person):
        return area("suspended", prompt_id, suspension_reason=person.suspension_reason)
    listed = bool(key_points)
    sent = fill.extras.get("contribute_form")
    if sent is not None:  # sent back with what was typed and what was wrong
        return area("form", prompt_id, _choosing(sent, key_points), with_key_points=listed)
    key = ("contribute", "form", prompt_id, key_points)
    return fill.variant(
        key,
        lambda: area(
            "form",
            prompt_id,
            _choosing(ContributionForm(formdata=None), key_points),
            with_key_points=listed,
        ),
    )


def _choosing(form: ContributionForm, key_points) -> ContributionForm:
    form.key_point_id.choices = [SelectChoice("", "None in particular")] + [
        SelectChoice(ident, title) for ident, title in key_points
    ]
    return form


# --- contribution cards ---------------------------------------------------------------------


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
            _card_notices(fill),
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
