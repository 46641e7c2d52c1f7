"""Markdown to safe HTML, and #hashtags to tags. Rendered once on write and stored."""

from __future__ import annotations

import re
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from forum.mentions import MENTION

_OPTIONS = {"html": False, "linkify": False, "typographer": False}
_markdown = MarkdownIt("commonmark", _OPTIONS)
_markdown.enable(["table", "strikethrough"])
# Comments are short notes: no headings, no images (what would be one stays text).
_comment_markdown = MarkdownIt("commonmark", _OPTIONS)
_comment_markdown.enable(["strikethrough"]).disable(["heading", "lheading", "image"])

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
COMMENT_TAGS = ALLOWED_TAGS - {"h1", "h2", "h3", "h4", "h5", "h6", "img", "table", "tbody",
                               "td", "th", "thead", "tr"}  # fmt: skip

HASHTAG = re.compile(r"(?<![\w&#/])#([a-zA-Z][a-zA-Z0-9_-]{0,39})\b")
TAG_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def _rewrite_text(state: StateCore, marker: str, split) -> None:
    """Each text token holding `marker`, outside code and outside any link, replaced by the
    tokens `split(its text)` makes of it (text and links)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            in_link += (token.type == "link_open") - (token.type == "link_close")
            if token.type != "text" or in_link or marker not in token.content:
                children.append(token)
                continue
            children.extend(split(token.content))
        block.children = children


def _link_mentions(state: StateCore) -> None:
    """`@name` in text (not in code, not inside a link) becomes a link to that member's profile
    when `env["mentions"]` (lower-cased username -> profile address) holds the name."""
    known: Mapping[str, str] = state.env.get("mentions") or {}
    if known:
        _rewrite_text(state, "@", lambda text: _split_mentions(text, known))


def _split_mentions(text: str, known: Mapping[str, str]) -> list[Token]:
    tokens, start = [], 0
    for match in MENTION.finditer(text):
        href = known.get(match.group(1).lower())
        if href is None:
            continue
        if match.start() > start:
            tokens.append(_text(text[start : match.start()]))
        opening = Token("link_open", "a", 1)
        opening.attrs = {"href": href}
        tokens += [opening, _text(match.group(0)), Token("link_close", "a", -1)]
        start = match.end()
    if start < len(text):
        tokens.append(_text(text[start:]))
    return tokens


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


for _parser in (_markdown, _comment_markdown):
    _parser.core.ruler.push("mentions", _link_mentions)

# Where a #hashtag in a body links to: the search for its tag (forum/web/search.py), so a tag
# shows once, where the writer put it, rather than again as a chip under the text.
TAG_SEARCH = "/search?tag="


def _link_hashtags(state: StateCore) -> None:
    """`#tag` in text (not in code, not inside a link) becomes a link to its tag's search."""
    _rewrite_text(state, "#", _split_hashtags)


def _split_hashtags(text: str) -> list[Token]:
    tokens, start = [], 0
    for match in HASHTAG.finditer(text):
        if match.start() > start:
            tokens.append(_text(text[start : match.start()]))
        name = hashtag_name(match)
        # The link covers the tag's own name: what a cut left out stays text after it.
        end = match.start() + 1 + len(name)
        opening = Token("link_open", "a", 1)
        opening.attrs = {"href": TAG_SEARCH + name}
        tokens += [opening, _text(text[match.start() : end]), Token("link_close", "a", -1)]
        start = end
    if start < len(text):
        tokens.append(_text(text[start:]))
    return tokens


_markdown.core.ruler.push("hashtags", _link_hashtags)


def tag_linked(tag: str, html: str) -> bool:
    """Whether rendered `html` already links to this tag's search (then no chip repeats it)."""
    return f'href="{TAG_SEARCH}{tag}"' in (html or "")


def render_markdown(text: str, mentions: Mapping[str, str] | None = None) -> str:
    """Render Markdown to HTML that is safe to show: no script, no handlers, no javascript: URLs.
    `mentions` (lower-cased username -> profile address): the members an `@name` links to."""
    return sanitize_html(_markdown.render(text or "", {"mentions": mentions or {}}))


def render_comment(text: str, mentions: Mapping[str, str] | None = None) -> str:
    """A comment's Markdown as safe HTML, as `render_markdown` but without headings or images."""
    html = _comment_markdown.render(text or "", {"mentions": mentions or {}})
    return sanitize_html(html, COMMENT_TAGS)


def sanitize_html(html: str, tags: set[str] = ALLOWED_TAGS) -> str:
    return nh3.clean(
        html,
        tags=tags,
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
        seen.setdefault(hashtag_name(match), None)
    return list(seen)


def hashtag_name(match: re.Match) -> str:
    """The tag a #hashtag match names: lower case, and a name cut at 40 characters keeps no
    trailing separator ("#motivational-interviewing-for-beginners-and-experts" is
    "motivational-interviewing-for-beginners", not "...-beginners-")."""
    return cut_tag(match.group(1).lower())


def cut_tag(name: str) -> str:
    """A tag name at most 40 characters long that does not end with a separator."""
    return name[:40].rstrip("-_")


def normalize_tag(name: str) -> str | None:
    """A tag as stored: lower case, without '#'; None when it is not a valid tag name."""
    name = (name or "").strip().lstrip("#").lower()
    return name if TAG_NAME.match(name) else None


def slugify(text: str, max_length: int = 80) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"
