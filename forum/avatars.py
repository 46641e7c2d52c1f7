"""Initials avatars: a member's face on the page without images or any outside service.

The letters come from the display name; the colour from a stable hash of the username (the
same in every worker and every run, unlike Python's `hash`), one of a few fixed tones that all
carry white letters at WCAG AA contrast (static/site.css, `.avatar--tone-N`).
"""

from __future__ import annotations

import zlib

TONES = 8  # .avatar--tone-0 ... .avatar--tone-7 in static/site.css


def initials(name: str) -> str:
    """Up to two letters: the first of the first word and of the last ("Maria Okafor" -> "MO");
    words that start with no letter or digit (an emoji, say) are passed over; "?" when none is
    left."""
    letters = [next((ch for ch in word if ch.isalnum()), "") for word in name.split()]
    letters = [letter for letter in letters if letter]
    if not letters:
        return "?"
    chosen = letters[0] if len(letters) == 1 else letters[0] + letters[-1]
    return chosen.upper()


def tone(username: str) -> int:
    """The avatar's colour, 0..TONES-1: the same username always gets the same one."""
    return zlib.crc32(username.encode("utf-8")) % TONES
