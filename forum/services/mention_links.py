"""Which `@name`s of a text are members, and where each links: what the renderer needs to turn
mentions into links (forum/rendering.py), looked up in one query."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.mentions import mentions_in
from forum.models import User


def profile_path(username: str) -> str:
    """The path of a member's profile, built without a request (commands render bodies too)."""
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    adapter = current_app.url_map.bind("localhost", script_name=root)
    return adapter.build("accounts.profile", {"username": username})


def mention_links(text: str) -> dict[str, str]:
    """Lower-cased username -> profile path, for the members the text mentions who exist."""
    names = mentions_in(text)
    if not names:
        return {}
    found = db.session.scalars(select(User.username).where(func.lower(User.username).in_(names)))
    return {username.lower(): profile_path(username) for username in found}
