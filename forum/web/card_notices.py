"""A confirmation shown on the card the reader acted on (rated, flagged, featured, posted), not
at the top of a page that opens scrolled to the card.

It is a flashed message whose category names the card: the prompt page's card writes it under
the card (forum/web/card_parts.py), and the page's message area leaves it out; on a page
without that card it is shown with the other messages."""

from __future__ import annotations

import re

from flask import flash, get_flashed_messages

from forum.page_parts import Fill

_CATEGORY = re.compile(r"card-(\d+)-(\w+)\Z")


def flash_on_card(contribution_id: int, message: str, category: str = "success") -> None:
    """Say `message` on the card of this contribution when the reader next sees it."""
    flash(message, f"card-{contribution_id}-{category}")


def card_of(category: str) -> tuple[int, str] | None:
    """(contribution id, category) of a card's message; None for a message of the page."""
    found = _CATEGORY.match(category or "")
    return (int(found.group(1)), found.group(2)) if found else None


def cards_on_page(fill: Fill) -> frozenset[int]:
    """The contributions whose card (with its actions) this page shows."""
    holes = fill.shared.holes if fill.shared is not None else ()
    return fill.memo(
        ("cards_on_page",),
        lambda: frozenset(args[0] for name, args in holes if name == "card_actions"),
    )


def notices_by_card(fill: Fill) -> dict[int, list[tuple[str, str]]]:
    """contribution id -> the messages said on its card (read once for the page)."""

    def read() -> dict[int, list[tuple[str, str]]]:
        found: dict[int, list[tuple[str, str]]] = {}
        for category, message in get_flashed_messages(with_categories=True):
            card = card_of(category)
            if card is not None:
                found.setdefault(card[0], []).append((card[1], message))
        return found

    return fill.memo(("card_notices",), read)
