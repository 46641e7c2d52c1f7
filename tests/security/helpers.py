"""What a browser would build from a piece of HTML, and what in it could run script."""

from __future__ import annotations

import re
from html.parser import HTMLParser

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
# Browsers drop these from a URL before they read its scheme ("java\tscript:" runs).
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base"}


class ElementCollector(HTMLParser):
    """The start tags and attributes of a document, with entities already decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and _is_own_script(dict(attrs)):
            tag = "script (the site's own file)"  # the page's static/enhance.js, not content
        self.tags.append(tag)
        self.attributes += [(tag, name.lower(), value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


OWN_SCRIPT = re.compile(r"/static/[\w.-]+\.js")


def _is_own_script(attrs: dict) -> bool:
    """<script src="/static/x.js" defer></script>: a file served from this site, as base.html
    loads it. Content never gets here: the Markdown renderer strips every script element."""
    return set(attrs) <= {"src", "defer"} and bool(OWN_SCRIPT.fullmatch(attrs.get("src") or ""))


def elements(html: str) -> ElementCollector:
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector


def is_dangerous_url(value: str) -> bool:
    return IGNORED_IN_URLS.sub("", value).lower().startswith(DANGEROUS_SCHEMES)


def dangers(html: str) -> list[str]:
    """Everything in `html` that could run script: empty when it is safe to show."""
    found = elements(html)
    problems = [f"<{tag}>" for tag in found.tags if tag in ACTIVE_ELEMENTS]
    for tag, name, value in found.attributes:
        if name.startswith("on"):
            problems.append(f"<{tag} {name}=...>")
        elif name in URL_ATTRIBUTES and is_dangerous_url(value):
            problems.append(f"<{tag} {name}={value!r}>")
        elif name == "style" and re.search(r"expression|url\s*\(", value, re.IGNORECASE):
            problems.append(f"<{tag} style={value!r}>")
    return problems
