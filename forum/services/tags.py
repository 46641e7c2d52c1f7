"""Tags: lower-case words shared by prompts and contributions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Tag
from forum.rendering import normalize_tag
from forum.services.errors import invalid


def clean_tag_names(names, limit: int, field: str = "tags") -> list[str]:
    """Validate and normalise tag names given by a client; duplicates are dropped."""
    cleaned: list[str] = []
    for raw in names or []:
        if not isinstance(raw, str):
            raise invalid(field, "Tags are words.")
        name = normalize_tag(raw)
        if name is None:
            raise invalid(
                field, f"{raw!r} is not a tag: use a-z, 0-9, _ and -, starting with a letter."
            )
        if name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > limit:
        raise invalid(field, f"Use at most {limit} tags.")
    return cleaned


def _existing(names: list[str]) -> dict[str, Tag]:
    """The Tag rows that already exist for these names, by name."""
    return {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}


def tags_named(names: list[str]) -> list[Tag]:
    """The Tag rows for these names, created where missing (in the caller's transaction)."""
    if not names:
        return []
    existing = _existing(names)
    for name in names:
        if name in existing:
            continue
        try:
            with db.session.begin_nested():
                tag = Tag(name=name)
                db.session.add(tag)
        except IntegrityError:  # created meanwhile by another request
            tag = _existing([name])[name]
        existing[name] = tag
    return [existing[name] for name in names]
