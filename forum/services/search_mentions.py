"""An @name in a reader's query that names no member: a mention in a pasted question ("as
@AndrewO said"), read as a word of the text, not as an author filter that finds nothing (what
people type is never turned into an empty answer for want of a member). An author asked by the
`author` parameter, and an @name that names a member, stay filters."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import User
from forum.search.query import And, ParsedQuery, Term


def mentions_as_words(parsed: ParsedQuery, asked: str | None) -> None:
    """Turn the @names of `parsed` that name no member (and were not the `asked` parameter)
    into words of its text, put side by side with the rest."""
    named = [a for a in parsed.authors if a != (asked or "").strip().lower()]
    if not named:
        return
    members = set(
        db.session.scalars(
            select(func.lower(User.username)).where(func.lower(User.username).in_(named))
        )
    )
    unknown = [a for a in named if a not in members]
    if not unknown:
        return
    parsed.authors = [a for a in parsed.authors if a not in unknown]
    words = tuple(Term(name) for name in unknown)
    text = parsed.text
    if text is None:
        parsed.text = words[0] if len(words) == 1 else And(words, soft=True)
    elif isinstance(text, And) and text.soft:
        parsed.text = And((*text.nodes, *words), soft=True)
    else:
        parsed.text = And((text, *words), soft=True)
