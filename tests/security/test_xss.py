"""Cross-site scripting: a corpus of known vectors posted through the API as contributions and
prompt intros, plain fields shown on every page, and property tests of the Markdown renderer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.rendering import render_markdown
from tests.api.helpers import ok, patch, post
from tests.factories import make_moderator, make_prompt, make_topic, make_user
from tests.helpers import page_text
from tests.security.helpers import dangers
from tests.security.xss_corpus import FRAGMENTS, XSS_VECTORS


@pytest.fixture
def app_config_overrides() -> dict:
    """Every contribution of the corpus on one page, and no limit on how fast it is posted."""
    return {"CONTRIBUTIONS_PER_PAGE": 200}


def test_the_corpus_holds_at_least_sixty_known_vectors():
    assert len(set(XSS_VECTORS)) >= 60


def test_every_vector_posted_as_a_contribution_is_stored_and_shown_without_script(client):
    prompt, member = make_prompt(), make_user()

    stored = {}
    for vector in XSS_VECTORS:
        body = f"Try this: {vector}"
        created = post(client, f"/prompts/{prompt.id}/contributions", {"body": body}, user=member)
        stored[vector] = dangers(ok(created, 201)["body_html"])
    page = client.get(f"/prompts/{prompt.id}/{prompt.slug}")

    assert {vector: found for vector, found in stored.items() if found} == {}
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('class="prose"') >= len(XSS_VECTORS)
    assert dangers(page.get_data(as_text=True)) == []


def test_every_vector_posted_as_a_prompt_intro_is_stored_and_shown_without_script(client):
    moderator, topic = make_moderator(), make_topic()

    unsafe = {}
    for n, vector in enumerate(XSS_VECTORS):
        body = {"title": f"Vector {n}", "intro": vector, "topic": topic.slug, "key_points": []}
        prompt = ok(post(client, "/prompts", body, user=moderator), 201)
        page = client.get(prompt["url"])
        assert page.status_code == 200, prompt["url"]
        found = dangers(prompt["intro_html"]) + dangers(page.get_data(as_text=True))
        if found:
            unsafe[vector] = found

    assert unsafe == {}


def test_search_snippets_of_dangerous_bodies_are_shown_without_script(client):
    prompt, member = make_prompt(), make_user()
    for vector in XSS_VECTORS[:30]:
        post(client, f"/prompts/{prompt.id}/contributions", {"body": vector}, user=member)

    for query in ("alert", "script", "onerror", "javascript"):
        page = client.get("/search", query_string={"q": query, "type": "contribution"})
        assert page.status_code == 200
        assert "search-hit__snippet" in page.get_data(as_text=True), query
        assert dangers(page.get_data(as_text=True)) == [], query


PLAIN_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "{{ 7*7 }}<b onclick=alert(1)>",
]


@pytest.mark.parametrize("payload", PLAIN_PAYLOADS)
def test_plain_fields_are_escaped_wherever_they_are_shown(client, payload):
    member, moderator = make_user(), make_moderator()
    patch(
        client,
        "/me",
        {"display_name": payload[:60], "headline": payload, "bio": payload},
        user=member,
    )
    topic = ok(post(client, "/topics", {"name": f"Topic {payload}"}, user=moderator), 201)
    prompt_body = {
        "title": f"Title {payload}",
        "intro": "Plain.",
        "topic": topic["slug"],
        "key_points": [{"title": f"Point {payload}", "body": f"Body {payload}"}],
        "tags": ["listening"],
    }
    prompt = ok(post(client, "/prompts", prompt_body, user=moderator), 201)
    post(client, f"/prompts/{prompt['id']}/contributions", {"body": "Fine."}, user=member)

    pages = [
        "/",
        f"/topics/{topic['slug']}",
        prompt["url"],
        f"/u/{member.username}",
        "/strategies?min_ratings=0",
        f"/search?q={payload}",
        f"/search?q=Title&topic={payload}",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 400), path
        assert dangers(response.get_data(as_text=True)) == [], path
    assert f"Title {payload}" in page_text(client.get(prompt["url"]))  # shown, as text
    assert payload in page_text(client.get(f"/u/{member.username}"))


def test_a_tag_that_is_markup_is_refused_rather_than_stored(client):
    moderator, topic = make_moderator(), make_topic()
    body = {"title": "T", "topic": topic.slug, "tags": ["<script>alert(1)</script>"]}
    response = post(client, "/prompts", body, user=moderator)
    tags = response.get_json().get("tags", []) if response.status_code == 201 else []
    assert response.status_code in (201, 422)
    assert not [tag for tag in tags if "<" in tag]


# --- property tests of the renderer ---------------------------------------------------------

dangerous_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_rendering_any_text_never_yields_script(text):
    assert dangers(render_markdown(text)) == []


@settings(max_examples=300, deadline=None)
@given(dangerous_text)
def test_rendering_text_made_of_dangerous_fragments_never_yields_script(text):
    assert dangers(render_markdown(text)) == []


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(XSS_VECTORS), st.sampled_from(XSS_VECTORS), dangerous_text)
def test_rendering_vectors_glued_together_never_yields_script(first, second, glue):
    assert dangers(render_markdown(first + glue + second)) == []
