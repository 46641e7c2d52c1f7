"""Names people see: normalized, and compared the way a reader's eye compares them."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """A key equal for names a reader could take for one another (case, compatibility forms)."""
    return unicodedata.normalize("NFKC", name or "").casefold()
