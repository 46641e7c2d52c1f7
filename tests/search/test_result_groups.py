"""The /search page as a reader chooses from it: hits of one prompt under one heading, who wrote
each answer and how it was rated, one search box, and a help line in plain words."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from forum.extensions import db
from forum.models import User
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
    rate_many,
)
from tests.helpers import page_text

SEARCH_FORM = re.compile(r'<form[^>]*role="search"[^>]*>.*?</form>', re.DOTALL)


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def headings(html: str) -> list[tuple[int, str]]:
    found = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.DOTALL)
    return [(int(level), re.sub(r"<[^>]+>|\s+", " ", text).strip()) for level, text in found]


def group_of(html: str, prompt) -> str:
    """The markup of a prompt's group of results, from its heading to its end."""
    return html.split(f'id="hit-p{prompt.id}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def sessions(app):
    """Two prompts in the Life Coaching topic; the first has two matching answers, one rated and
    answering a key point, the other by a member whose account is gone."""
    topic = make_topic(slug="life-coaching", name="Life Coaching")
    asker = make_moderator(username="mia", display_name="Mia Stone")
    first = make_prompt(topic=topic, title="When a client cancels sessions", author=asker)
    second = make_prompt(topic=topic, title="Pricing a package", author=asker)
    ana = make_user(username="ana", display_name="Ana Ruiz")
    key_point = first.key_points[0]
    older = make_contribution(
        prompt=first, author=ana, body="Sessions: agree a rule.", key_point_id=key_point.id
    )
    rate_many(older, [5, 4])
    other = make_contribution(prompt=second, body="Sessions come in packs of six.")
    newest = make_contribution(prompt=first, body="Sessions missed: ask what changed.")
    return {"first": first, "second": second, "older": older, "other": other, "newest": newest}


def test_contributions_of_one_prompt_share_its_heading_where_its_best_hit_ranks(client, sessions):
    # Newest first: `newest` (first prompt), `other` (second), then `older` (first again).
    html = html_of(client.get("/search?q=sessions&sort=newest&type=contribution"))

    titles = [text for level, text in headings(html) if level == 3]
    assert titles[:2] == ["When a client cancels sessions", "Pricing a package"]
    assert titles.count("When a client cancels sessions") == 1
    first_group = group_of(html, sessions["first"])
    assert f'href="/contributions/{sessions["newest"].id}"' in first_group
    assert f'href="/contributions/{sessions["older"].id}"' in first_group
    assert first_group.index(f'/contributions/{sessions["newest"].id}"') < first_group.index(
        f'/contributions/{sessions["older"].id}"'
    )


def test_a_prompt_hit_and_its_contributions_share_one_heading(client, sessions):
    first = sessions["first"]

    response = client.get("/search?q=cancels+OR+sessions")

    html = html_of(response)
    titles = [text for level, text in headings(html) if level == 3]
    assert titles.count("When a client cancels sessions") == 1
    assert html.count(f'href="/prompts/{first.id}/{first.slug}"') == 1
    assert "Prompt in Life Coaching · asked by Mia Stone" in page_text(response)


def test_each_answer_shows_its_author_rating_and_key_point(client, sessions):
    response = client.get("/search?q=sessions")
    html, text = html_of(response), page_text(response)

    assert 'href="/u/ana">Ana Ruiz</a>' in html
    assert "Contribution by Ana Ruiz @ana" in text
    assert re.search(r'<span class="stars" aria-hidden="true">★★★★★</span>', html)
    assert "4.5 out of 5 from 2 ratings" in text
    assert "Not rated yet" in text
    assert "Answers the key point Cultivate trust" in text
    assert 'href="/topics/life-coaching">Life Coaching</a>' in html


def test_headings_come_in_order_and_results_are_lists(client, sessions):
    html = html_of(client.get("/search?q=sessions"))

    levels = [level for level, _ in headings(html)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert '<ol class="search-group__hits"' in html
    assert "style=" not in html and "<script>" not in html


def test_the_results_page_has_one_search_box_holding_the_query(client, sessions):
    html = html_of(client.get("/search?q=client+sessions"))

    forms = SEARCH_FORM.findall(html)
    assert len(forms) == 1
    assert re.search(r'<input[^>]*name="q"[^>]*value="client sessions"', forms[0])


def test_the_help_line_says_how_to_search_with_examples_that_run(client, sessions):
    response = client.get("/search?q=sessions")
    text = page_text(response)

    assert "for example client cancels sessions" in text
    assert "#habits" in text and "@tom" in text
    hint = re.search(r'<p class="hint" id="search-q-hint">(.*?)</p>', html_of(response), re.S)
    examples = [
        parse_qs(urlsplit(unescape(href)).query)["q"][0]
        for href in re.findall(r'href="([^"]+)"', hint.group(1))
    ]
    assert examples == ["client cancels sessions", "#habits", "@tom"]


def test_an_answer_whose_author_left_still_shows_their_name(client, sessions):
    db.session.delete(db.session.get(User, sessions["older"].author_id))
    db.session.commit()

    text = page_text(client.get("/search?q=sessions"))

    assert "Contribution by Ana Ruiz" in text
