"""`@username` mentions in what members write: which names a text mentions. Pure: no database,
no Flask. The services look the names up (forum/services/mention_links.py) and the renderer
links the members that exist (forum/rendering.py); notifications read the same names."""

from __future__ import annotations

import re

# A username (3 to 30 of a-z, 0-9, _ and -; forum/services/accounts.py) after an @ that does not
# continue a word, an address or a path (mail@example.org, /@x): case-insensitive, as usernames.
MENTION = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9_-]{3,30})(?![\w@-]|\.\w)")
# At most this many distinct names are looked up per text: a list of hundreds of @names is no
# conversation, and each costs a lookup.
MAX_MENTIONS = 50


def _without_code(text: str) -> str:
    """Drop fenced and inline code, where an @ is code, not a mention."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"~~~.*?~~~", " ", text, flags=re.DOTALL)
    return re.sub(r"`[^`\n]*`", " ", text)


def mentions_in(text: str) -> list[str]:
    """Every `@name` of a Markdown text outside code, lower-cased, in order of first appearance
    (at most MAX_MENTIONS)."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(_without_code(text or "")):
        seen.setdefault(match.group(1).lower(), None)
        if len(seen) >= MAX_MENTIONS:
            break
    return list(seen)


def mentioned_usernames(text: str) -> set[str]:
    """The usernames a text mentions (lower-cased; whether such members exist is not checked)."""
    return set(mentions_in(text))
