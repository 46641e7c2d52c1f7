"""Markdown to safe HTML, and #hashtags to tags. Rendered once on write and stored."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th",
    "thead", "tr", "ul", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}

HASHTAG = re.compile(r"(?<![\w&#/])#([a-zA-Z][a-zA-Z0-9_-]{0,39})\b")
TAG_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that is safe to show: no script, no handlers, no javascript: URLs."""
    return sanitize_html(_markdown.render(text or ""))


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def _without_code(text: str) -> str:
    """Drop fenced and inline code, where a # is code, not a tag."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"~~~.*?~~~", " ", text, flags=re.DOTALL)
    return re.sub(r"`[^`\n]*`", " ", text)


def extract_hashtags(text: str) -> list[str]:
    """The #hashtags of a Markdown body, lower-cased, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in HASHTAG.finditer(_without_code(text or "")):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def normalize_tag(name: str) -> str | None:
    """A tag as stored: lower case, without '#'; None when it is not a valid tag name."""
    name = (name or "").strip().lstrip("#").lower()
    return name if TAG_NAME.match(name) else None


def slugify(text: str, max_length: int = 80) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"
