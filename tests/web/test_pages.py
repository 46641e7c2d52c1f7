"""Every page renders for the people who may see it, with the site's landmarks and headers."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_contribution, make_moderator, make_prompt, make_user, rate_many
from tests.helpers import page_text, statements_sent


@pytest.fixture
def community(app):
    """A topic with a prompt, a rated and edited contribution, and its author."""
    author = make_user(username="sam", display_name="Sam Rivera")
    prompt = make_prompt(title="How do you unlock motivation?")
    contribution = make_contribution(prompt=prompt, author=author, body="Ask **why** first. #trust")
    rate_many(contribution, [5, 4])
    return {"prompt": prompt, "contribution": contribution, "author": author}


def reader_paths(community) -> list[str]:
    prompt, contribution = community["prompt"], community["contribution"]
    return [
        "/",
        f"/topics/{prompt.topic.slug}",
        f"/prompts/{prompt.id}/{prompt.slug}",
        "/strategies",
        f"/strategies?topic={prompt.topic.slug}&min_ratings=2",
        "/strategies?tag=trust",
        "/u/sam",
        "/login",
        "/register",
        f"/contributions/{contribution.id}/revisions",
        "/api/v1/docs",
    ]


def test_every_public_page_renders_for_a_reader(client, community):
    for path in reader_paths(community):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == "text/html", path


def test_every_page_renders_for_a_member_with_their_name_in_the_header(client, login, community):
    member = make_user(display_name="Dana Member")
    login(member)
    for path in [*reader_paths(community), "/settings"]:
        if path in ("/login", "/register"):
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Dana Member" in page_text(response), path
        assert "Log out" in page_text(response), path


def test_moderators_see_the_prompt_editor_pages_and_a_new_prompt_link(client, login, community):
    login(make_moderator())
    prompt = community["prompt"]
    for path in ["/prompts/new", f"/prompts/{prompt.id}/edit"]:
        assert client.get(path).status_code == 200, path
    assert "New prompt" in page_text(client.get("/"))
    assert "Edit prompt" in page_text(client.get(f"/prompts/{prompt.id}/{prompt.slug}"))


def test_a_reader_sees_log_in_and_register_but_no_new_prompt_link(client, community):
    text = page_text(client.get("/"))
    assert "Log in" in text and "Register" in text
    assert "New prompt" not in text
    assert "Log out" not in text


def test_each_page_has_one_h1_the_landmarks_and_a_skip_link(client, community):
    for path in reader_paths(community):
        html = client.get(path).get_data(as_text=True)
        assert len(re.findall(r"<h1[ >]", html)) == 1, path
        for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
            assert landmark in html, (path, landmark)
        assert 'href="#main"' in html, path
        assert "/api/v1/docs" in html, path


def test_pages_carry_no_inline_styles_or_scripts(client, login, community):
    login(make_moderator())
    prompt = community["prompt"]
    for path in ["/", f"/prompts/{prompt.id}/{prompt.slug}", "/settings", "/prompts/new"]:
        html = client.get(path).get_data(as_text=True)
        assert "style=" not in html, path
        # Only the site's own script files: the Content-Security-Policy refuses inline ones.
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
        assert scripts, path
        assert all(body.strip() == "" for body in scripts), path
        tags = re.findall(r"<script[^>]*>", html)
        assert len(tags) == len(scripts), path
        assert tags[0] == '<script src="/static/enhance.js" defer>', path
        for tag in tags:  # each a file the site serves itself, deferred
            name = re.fullmatch(r'<script src="/static/([a-z_-]+\.js)" defer>', tag)
            assert name, (path, tag)
            with client.get(f"/static/{name.group(1)}") as served:
                assert served.status_code == 200, (path, tag)
        assert not re.search(r"\son[a-z]+=", html), path


def test_pages_are_sent_with_the_security_headers(client, community):
    response = client.get(f"/prompts/{community['prompt'].id}/{community['prompt'].slug}")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_stylesheet_is_served_from_the_site_itself(client):
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert ":focus-visible" in response.get_data(as_text=True)
    response.close()


def test_home_shows_topics_active_prompts_and_top_strategies(client, community):
    text = page_text(client.get("/"))
    assert community["prompt"].topic.name in text
    assert "1 prompt" in text
    assert "How do you unlock motivation?" in text
    assert "Top strategies" in text
    assert "4.5 out of 5 from 2 ratings" in text


def test_the_front_page_counts_neither_of_its_lists(app, client, community):
    """The front page shows five strategies and ten prompts and no total of either: counting
    every rated strategy cost it 8 ms at 100,000 contributions, a quarter of the page."""
    sent = statements_sent(app, lambda: client.get("/"))
    assert [s for s in sent if "count(*)" in s] == []
    assert "How do you unlock motivation?" in page_text(client.get("/"))


def test_a_topic_page_lists_its_prompts_with_sort_tabs(client, community):
    prompt = community["prompt"]
    response = client.get(f"/topics/{prompt.topic.slug}?sort=newest")
    html = response.get_data(as_text=True)
    assert prompt.title in page_text(response)
    assert re.search(r'sort=newest" aria-current="page">Newest<', html)


def test_a_prompt_address_without_its_slug_redirects_to_the_full_address(client, community):
    prompt = community["prompt"]
    response = client.get(f"/prompts/{prompt.id}?sort=newest")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/prompts/{prompt.id}/{prompt.slug}?sort=newest"


def test_links_built_from_the_address_keep_only_the_listing_arguments(client, community):
    prompt = community["prompt"]
    tricks = "_external=1&_scheme=javascript&_anchor=x&prompt_id=9&slug=evil&sort=oldest"
    response = client.get(f"/prompts/{prompt.id}?{tricks}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/prompts/{prompt.id}/{prompt.slug}?sort=oldest"
    page = client.get(f"/prompts/{prompt.id}/{prompt.slug}?{tricks}")
    assert page.status_code == 200
    assert "javascript:" not in page.text and "forum.test" not in page.text


def test_a_contribution_address_leads_to_its_place_on_the_prompt_page(client, community):
    prompt, contribution = community["prompt"], community["contribution"]
    response = client.get(f"/contributions/{contribution.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/prompts/{prompt.id}/{prompt.slug}#c{contribution.id}"


def test_the_strategies_page_ranks_and_filters_contributions(client, community):
    other = make_contribution(body="Unrated idea")
    text = page_text(client.get("/strategies"))
    assert "Ask why first." in text
    assert "Unrated idea" not in text  # at least one rating by default
    assert "Unrated idea" in page_text(client.get("/strategies?min_ratings=0"))
    filtered = page_text(client.get(f"/strategies?topic={other.prompt.topic.slug}&min_ratings=0"))
    assert "Unrated idea" in filtered and "Ask why first." not in filtered


def test_a_profile_shows_who_the_member_is_and_what_they_wrote(client, community):
    text = page_text(client.get("/u/sam"))
    assert "Sam Rivera" in text
    assert "Member" in text
    assert "Rated useful" in text
    assert "Contributions 1" in text
    assert "Ask why first." in text


def test_the_api_documentation_is_a_page_in_the_site_layout(client):
    response = client.get("/api/v1/docs")
    text = page_text(response)
    assert response.status_code == 200
    assert "Commonplace API" in text
    assert "/prompts/{prompt_id}/contributions" in text
    assert "Log in" in text  # the site header


def statements_counted(app, request) -> int:
    """How many SQL statements serving `request()` sent to the database."""
    return len(statements_sent(app, request))


def test_the_strategies_page_reads_its_prompts_together_however_many_strategies_it_lists(
    app, client, community
):
    """Twenty strategies from twenty prompts cost the page no more queries than one: a page that
    read each strategy's prompt on its own grew slower with every card. Both visits follow
    one that counted the total (kept until a strategy comes or goes)."""
    client.get("/strategies")
    one = statements_counted(app, lambda: client.get("/strategies"))
    for n in range(19):
        contribution = make_contribution(body=f"Strategy number {n}: listen first.")
        rate_many(contribution, [4])
    response = client.get("/strategies")
    assert page_text(response).count("Strategy number") == 19
    assert statements_counted(app, lambda: client.get("/strategies")) == one


def test_the_strategies_page_reads_only_the_title_of_each_strategys_prompt(app, client, community):
    """A card names its prompt and nothing more of it: the page does not read the prompts' key
    points, tags, topics or authors (four statements and joins per page that showed nothing)."""
    assert "out of 5 from" in page_text(client.get("/strategies"))  # it lists rated strategies
    sent = statements_sent(app, lambda: client.get("/strategies"))
    read = " ".join(sent).lower()
    assert "from key_points" not in read
    assert "prompt_tags" not in read
    assert "join topics" not in read
