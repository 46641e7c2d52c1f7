"""Which @usernames a text mentions (forum/mentions.py), and how the renderer links them."""

from __future__ import annotations

from forum.mentions import MAX_MENTIONS, mentioned_usernames, mentions_in
from forum.rendering import render_comment, render_markdown


def test_mentions_are_found_lower_cased_in_order_once_each():
    text = "Thanks @Sam and @ada_l, and @sam again (cc @bob-x)."
    assert mentions_in(text) == ["sam", "ada_l", "bob-x"]
    assert mentioned_usernames(text) == {"sam", "ada_l", "bob-x"}


def test_addresses_paths_code_and_short_names_are_not_mentions():
    text = (
        "Write to coach@example.org or see https://x.org/@sam and /@ada. "
        "`@inline` and\n```\n@fenced\n```\n@ab is too short, @a.b too."
    )
    assert mentions_in(text) == []


def test_punctuation_after_a_name_ends_it():
    assert mentions_in("Ask @sam, @ada: @lee. (@kim) @max!") == ["sam", "ada", "lee", "kim", "max"]


def test_a_long_list_of_names_is_cut():
    text = " ".join(f"@member{n}" for n in range(MAX_MENTIONS + 20))
    assert len(mentions_in(text)) == MAX_MENTIONS


def test_only_known_members_become_links_and_never_inside_links_or_code():
    known = {"sam": "/u/sam"}
    html = render_markdown("Hi @Sam and @nobody. [@sam](https://x.org) `@sam`", known)
    assert html.count('href="/u/sam"') == 1
    assert '<a href="/u/sam" rel="nofollow ugc noopener">@Sam</a>' in html
    assert "@nobody" in html and "<code>@sam</code>" in html


def test_a_comment_renders_no_heading_image_or_table():
    html = render_comment("# Title\n\n![x](https://x.org/a.png)\n\n| a |\n|---|\n| b |\n\n**ok**")
    for absent in ("<h1", "<img", "<table"):
        assert absent not in html
    assert "<strong>ok</strong>" in html and "# Title" in html
