"""Markdown rendered to safe HTML, and #hashtags found in bodies."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum.rendering import extract_hashtags, normalize_tag, render_markdown, slugify


def test_markdown_renders_emphasis_lists_and_links_with_a_safe_rel():
    html = render_markdown("**Trust** first\n\n- ask\n- listen\n\n[more](https://example.org)")
    assert "<strong>Trust</strong>" in html
    assert "<li>ask</li>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow ugc noopener"' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![x](javascript:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
        "[x](JaVaScRiPt:alert(1))",
        '<svg onload="alert(1)">',
    ],
)
def test_markdown_output_carries_no_script_handler_or_dangerous_url(source):
    tags, attributes = _elements(render_markdown(source))
    assert not tags & {"script", "iframe", "svg", "object", "embed", "style"}
    assert not [name for name, _ in attributes if name.startswith("on")]
    urls = [value.strip().lower() for name, value in attributes if name in ("href", "src")]
    assert not [url for url in urls if url.startswith(("javascript:", "data:", "vbscript:"))]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(name.lower(), value or "") for name, value in attrs]


def _elements(html: str):
    """The elements and attributes a browser would build from this HTML."""
    collector = _Collector()
    collector.feed(html)
    return collector.tags, collector.attributes


def test_hashtags_are_lower_cased_unique_and_in_order():
    assert extract_hashtags("Try #Trust, then #goals and #trust again") == ["trust", "goals"]


def test_headings_code_and_entities_are_not_hashtags():
    body = "# Heading\nUse `#notatag` and\n```\n#also-code\n```\n&#39; #real-one #1"
    assert extract_hashtags(body) == ["real-one"]


def test_tag_names_are_normalised_or_refused():
    assert normalize_tag("#Listening") == "listening"
    assert normalize_tag("two words") is None
    assert normalize_tag("") is None


def test_slugs_are_short_lower_case_words():
    assert slugify("How do you unlock motivation?") == "how-do-you-unlock-motivation"
    assert slugify("!!!") == "item"
