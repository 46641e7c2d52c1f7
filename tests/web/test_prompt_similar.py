"""The new-prompt page asks "has this been asked?": a list of the prompts most alike the title,
filled by "Check for similar prompts" without JavaScript, and shown before publishing a prompt
that looks like one already asked, which then needs "Publish anyway". CSRF is on, as in
production."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import Prompt
from tests.factories import PASSWORD, make_moderator, make_prompt, make_topic
from tests.helpers import csrf_token, page_text


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def editor(client, app):
    """A moderator signed in through the login form, and the topic prompts go in."""
    topic = make_topic(slug="life-coaching", name="Life Coaching")
    moderator = make_moderator()
    page = client.get("/login")
    signed_in = client.post(
        "/login",
        data={"username": moderator.username, "password": PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert signed_in.status_code == 302
    return topic


@pytest.fixture
def asked(editor):
    """A prompt already asked, and one about something else."""
    first = make_prompt(
        topic=editor,
        title="How do you open a first coaching session?",
        intro="The first ten minutes with a new client.",
        key_points=(),
        tags=(),
    )
    make_prompt(topic=editor, title="Breathing before sessions", intro="Box breathing.")
    return first


def typed(page, **fields) -> dict:
    data = {
        "csrf_token": csrf_token(page),
        "title": "How do you open the first session with a client?",
        "intro": "Your *first ten minutes*.",
        "topic": "life-coaching",
        "tags": "first-session",
        "key_points-0-title": "Build rapport",
        "key_points-0-body": "Listen first.",
    }
    data.update(fields)
    return data


def listed(response) -> list[str]:
    """The titles the "Similar prompts already asked" region lists, in order."""
    region = re.search(r'<section id="similar-prompts".*?</section>', response.text, re.S)
    assert region, "no similar prompts region"
    return re.findall(r'<li><a href="/prompts/\d+/[^"]*">([^<]*)</a>', region.group(0))


def test_the_new_prompt_page_has_the_list_region_and_loads_its_script(client, editor):
    page = client.get("/prompts/new")

    assert page.status_code == 200
    region = re.search(r'<section id="similar-prompts"[^>]*>', page.text).group(0)
    assert 'aria-live="polite"' in region
    assert 'data-similar-url="/api/v1/prompts/similar"' in region
    assert "Similar prompts already asked" in page_text(page)
    assert re.search(r'<button[^>]*name="action" value="check"[^>]*formnovalidate', page.text)
    assert '<script src="/static/similar.js' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)  # no inline script


def test_checking_lists_similar_prompts_and_keeps_everything_typed(client, asked):
    page = client.get("/prompts/new")

    response = client.post("/prompts/new", data=typed(page, action="check"))

    assert response.status_code == 200
    assert listed(response)[0] == "How do you open a first coaching session?"
    assert "% alike" in page_text(response)
    assert 'value="How do you open the first session with a client?"' in response.text
    assert "Your *first ten minutes*." in response.text
    assert 'value="first-session"' in response.text
    assert 'value="Build rapport"' in response.text
    assert db.session.query(Prompt).count() == 2  # only a look: nothing published


def test_checking_with_nothing_alike_says_so(client, asked):
    page = client.get("/prompts/new")

    response = client.post(
        "/prompts/new", data=typed(page, action="check", title="Gardening tools", intro="")
    )

    assert response.status_code == 200
    assert listed(response) == []
    assert "No similar prompts found." in page_text(response)


def test_checking_needs_the_csrf_token(client, asked):
    page = client.get("/prompts/new")
    data = typed(page, action="check")
    del data["csrf_token"]

    response = client.post("/prompts/new", data=data)

    assert response.status_code == 400
    assert "CSRF" in response.text


def test_publishing_a_prompt_like_one_asked_asks_to_confirm_first(client, asked):
    page = client.get("/prompts/new")

    shown = client.post("/prompts/new", data=typed(page, title=asked.title))

    assert shown.status_code == 200
    assert db.session.query(Prompt).count() == 2
    assert listed(shown)[0] == asked.title
    assert "These prompts look like yours" in page_text(shown)
    assert re.search(
        r'<button[^>]*name="publish_anyway" value="1"[^>]*>Publish anyway<', shown.text
    )

    published = client.post(
        "/prompts/new", data=typed(shown, title=asked.title, publish_anyway="1")
    )

    assert published.status_code == 302
    assert db.session.query(Prompt).count() == 3


def test_a_prompt_like_none_asked_is_published_at_once(client, asked):
    page = client.get("/prompts/new")

    response = client.post(
        "/prompts/new", data=typed(page, title="Which gardening tools last?", intro="Spades.")
    )

    assert response.status_code == 302
    assert db.session.query(Prompt).filter_by(title="Which gardening tools last?").count() == 1
