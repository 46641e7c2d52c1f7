"""What each reader sees of their own in every page's header: the fillers of the part(...) holes
in templates/macros/site.html (forum/page_parts.py). Each takes the page's `Fill` (who is reading
and what they did on the page) and the hole's arguments, and writes HTML with a macro that is
passed everything it shows. What many members see alike is kept as a variant, keyed by exactly
what the macro is passed; a member's name and address are written for them and never kept."""

from __future__ import annotations

from flask import get_flashed_messages

from forum.page_parts import Fill, filler, macro
from forum.permissions import can
from forum.services import inbox
from forum.web.card_notices import card_of, cards_on_page

SITE = "macros/site.html"
FOLLOWING = "macros/following.html"
# The largest unread count the inbox badge tells apart: it says "99+" past 99.
BADGE_SHOWN = 100


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
            if card[0] in cards_on_page(fill):
                continue
            category = card[1]
        messages.append((category, message))
    return macro(SITE, "flash_messages")(messages) if messages else ""


@filler("email_reminder")
def _email_reminder(fill: Fill) -> bytes | str:
    """A signed-in member whose address is not confirmed yet is reminded on every page (their
    row is loaded already: no query)."""
    person = fill.person
    if person is None or person.email_confirmed_at is not None:
        return ""
    return macro(SITE, "email_reminder")(person.email)  # their address: never kept
