"""Markdown rendered to safe HTML, and #hashtags found in bodies."""

from __future__ import annotations

import pytest

from forum.rendering import extract_hashtags, normalize_tag, render_markdown, slugify
from tests.security.helpers import dangers, elements


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
    html = render_markdown(source)
    assert not set(elements(html).tags) & {"svg", "style"}
    assert dangers(html) == []


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


def test_a_hashtag_cut_at_forty_characters_keeps_no_trailing_separator():
    body = "Read #motivational-interviewing-for-beginners-and-experts today"
    (name,) = extract_hashtags(body)
    assert name == "motivational-interviewing-for-beginners"
    assert normalize_tag(name) == name


def test_hashtags_in_text_link_to_their_tag_search_but_not_in_code_or_links():
    html = render_markdown("Try #Trust, `#code` and [a #link](https://example.org)")
    assert '<a href="/search?tag=trust" rel="nofollow ugc noopener">#Trust</a>' in html
    assert "<code>#code</code>" in html
    assert "tag=link" not in html and "tag=code" not in html
