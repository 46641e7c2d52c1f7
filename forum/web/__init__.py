"""HTML pages for people. Views are thin: parse the form, call a service, render a template."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from forum import avatars, page_parts, permissions
from forum.diffs import changed_words, word_diff
from forum.extensions import db
from forum.folding import fold
from forum.rendering import render_markdown, tag_linked
from forum.security import viewer
from forum.web import (
    accounts,
    card_parts,  # noqa: F401  (the fillers of the cards' part(...) holes)
    comments,
    contributions,
    email_links,
    flags,
    following,
    header_parts,  # noqa: F401  (the fillers of the header's part(...) holes)
    help,
    home,
    moderation,
    moderation_actions,
    outcomes,
    playbook,
    preview,
    prompt_editor,
    prompt_parts,  # noqa: F401  (the fillers of a prompt page's part(...) holes)
    prompts,
    ratings,
    search,
    settings,
    strategies,
    topics,
)


def init_app(app: Flask) -> None:
    for module in (
        home,
        topics,
        prompts,
        prompt_editor,
        contributions,
        comments,
        ratings,
        outcomes,
        flags,
        following,
        playbook,
        preview,
        strategies,
        search,
        accounts,
        settings,
        email_links,
        moderation,
        moderation_actions,
        help,
    ):
        app.register_blueprint(module.bp)

    app.context_processor(_template_context)
    # After CSRFProtect's own: page_parts knows when a token must not (or not yet) be written.
    app.jinja_env.globals.update(part=page_parts.part, csrf_token=page_parts.csrf_token)
    app.jinja_env.globals.update(initials=avatars.initials, avatar_tone=avatars.tone)
    app.add_template_filter(_date, "date")
    app.add_template_filter(_markdown, "markdown")
    app.add_template_filter(_one_decimal, "one_decimal")
    app.add_template_filter(fold, "fold")
    app.add_template_filter(_tags_not_in, "tags_not_in")
    app.add_template_filter(word_diff, "word_diff")
    app.add_template_filter(changed_words, "changed_words")


def _template_context() -> dict:
    """What every template may use: who is asking and what they may do."""
    try:
        person = viewer()
    except SQLAlchemyError:
        # An error page rendered after a failed database call must still render.
        db.session.rollback()
        person = None
    return {
        "viewer": person,
        "can": permissions.can,
    }


def _date(value: datetime | None) -> str:
    """A calm, unambiguous date: 3 May 2025."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def _markdown(text: str) -> Markup:
    """Markdown rendered to sanitized HTML (for stored revisions, kept as source)."""
    return Markup(render_markdown(text))  # noqa: S704 (sanitized by nh3 in render_markdown)


def _tags_not_in(tags, html: str | None) -> list:
    """The tags the rendered text does not link already: a tag is shown once."""
    return [tag for tag in tags or () if not tag_linked(tag.name, html)]


def _one_decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
