"""A confirmation shown on the card the reader acted on (rated, flagged, featured, posted), not
at the top of a page that opens scrolled to the card.

It is a flashed message whose category names the card: the prompt page's card writes it under
the card (forum/web/member_parts.py), and the page's message area leaves it out; on a page
without that card it is shown with the other messages."""

from __future__ import annotations

import re

from flask import flash

_CATEGORY = re.compile(r"card-(\d+)-(\w+)\Z")


def flash_on_card(contribution_id: int, message: str, category: str = "success") -> None:
    """Say `message` on the card of this contribution when the reader next sees it."""
    flash(message, f"card-{contribution_id}-{category}")


def card_of(category: str) -> tuple[int, str] | None:
    """(contribution id, category) of a card's message; None for a message of the page."""
    found = _CATEGORY.match(category or "")
    return (int(found.group(1)), found.group(2)) if found else None
