"""The search box in every page's header and the /search results page, read as a person would."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from forum.services import moderation
from tests.factories import make_moderator
from tests.helpers import page_text

SEARCH_FORM = re.compile(r'<form[^>]*role="search"[^>]*>.*?</form>', re.DOTALL)


def html_of(response) -> str:
    return response.get_data(as_text=True)


def hrefs(html: str, pattern: str = r'<a[^>]*href="([^"]+)"') -> list[str]:
    return [unescape(href) for href in re.findall(pattern, html)]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def facet_queries(html: str) -> list[dict[str, list[str]]]:
    return [query_of(href) for href in hrefs(html, r'<a class="facet" href="([^"]+)"')]


@pytest.fixture
def trust(trust):
    """The suite's prompt about trust, its answer made an editor's pick."""
    moderation.set_featured(make_moderator(), trust[1], True)
    return trust


def test_every_page_has_a_labelled_search_box_in_its_header(client, trust):
    prompt, _ = trust
    for path in ("/", "/strategies", f"/prompts/{prompt.id}/{prompt.slug}", "/login", "/nowhere"):
        html = html_of(client.get(path))
        header = html.split("<main", 1)[0]
        form = SEARCH_FORM.search(header)
        assert form, path
        assert 'method="get"' in form.group() and 'action="/search"' in form.group()
        field = re.search(
            r'<input[^>]*name="q"[^>]*id="([^"]+)"|<input[^>]*id="([^"]+)"[^>]*name="q"',
            form.group(),
        )
        assert field, path
        assert f'<label for="{field.group(1) or field.group(2)}"' in form.group(), path
        assert 'type="submit"' in form.group(), path


def test_the_results_page_shows_each_hit_with_its_type_snippet_and_usefulness(client, trust):
    prompt, answer = trust

    response = client.get("/search?q=trust")

    html, text = html_of(response), page_text(response)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "2 results for trust" in text
    assert "<mark>Trust</mark> grows from kept promises" in html
    assert "Prompt" in text and "Contribution" in text
    assert f'href="/prompts/{prompt.id}/{prompt.slug}"' in html
    assert f'href="/contributions/{answer.id}"' in html
    assert "2 ratings" in text
    assert "usefulness score" not in text  # the score orders; readers see the stars
    assert "Editor's pick" in text


def test_facets_are_links_that_add_their_filter_to_the_search(client, trust):
    html = html_of(client.get("/search?q=trust&sort=newest"))

    facets = facet_queries(html)

    assert {"q": ["trust"], "sort": ["newest"], "topic": ["life-coaching"]} in facets
    assert {"q": ["trust"], "sort": ["newest"], "tag": ["listening"]} in facets
    assert "Life Coaching" in page_text(client.get("/search?q=trust"))


def test_a_chosen_facet_is_marked_and_a_second_tag_joins_the_query(client, trust):
    html = html_of(client.get("/search?q=trust&tag=trust"))

    assert re.search(r'aria-current="true">#trust', html)
    assert {"q": ["trust #listening"], "tag": ["trust"]} in facet_queries(html)


def test_sort_links_keep_the_search_and_mark_the_active_one(client, trust):
    html = html_of(client.get("/search?q=trust&sort=useful"))

    sorts = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', html)
    labels = {label: (query_of(unescape(href)), bool(now)) for href, now, label in sorts}
    assert labels["Most useful"] == ({"q": ["trust"], "sort": ["useful"]}, True)
    assert labels["Best"] == ({"q": ["trust"], "sort": ["best"]}, False)
    assert labels["Relevance"][1] is labels["Newest"][1] is False


def test_a_misspelt_search_offers_did_you_mean(client, trust):
    response = client.get("/search?q=trsut")

    assert "Did you mean trust?" in page_text(response)
    suggestion = re.search(r'Did you mean <a href="([^"]+)">trust</a>\?', html_of(response))
    assert query_of(unescape(suggestion.group(1))) == {"q": ["trust"]}


def test_a_search_that_finds_nothing_says_so_kindly(client, trust):
    response = client.get("/search?q=xylophone")

    assert response.status_code == 200
    assert "Nothing matches xylophone" in page_text(response)


def test_a_bad_query_shows_the_search_page_with_the_problem_next_to_the_box(client, trust):
    response = client.get("/search?q=trust+type%3Aother")

    html = html_of(response)
    assert response.status_code == 400
    assert re.search(
        r'<p class="field-error" id="search-q-error">type: is prompt or contribution, not '
        r"&#39;other&#39;.</p>",
        html,
    )
    assert re.search(r'<input[^>]*id="search-q"[^>]*value="trust type:other"', html)
    assert 'aria-invalid="true"' in html
    assert "We could not understand that request" not in html  # not the generic error page


def test_a_search_with_a_nul_character_is_a_400_not_a_server_error(client, trust):
    for query in ("q=tru%00st", "q=trust&topic=a%00b", "tag=%00"):
        assert client.get(f"/search?{query}").status_code == 400, query


def test_an_empty_search_shows_the_form_and_a_hint(client, trust):
    for path in ("/search", "/search?q=", "/search?q=++"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Type a few words" in page_text(response), path
        assert "result" not in page_text(response).split("Type a few words")[0], path


def test_a_filter_alone_lists_what_it_selects(client, trust):
    _, answer = trust

    response = client.get("/search?tag=listening")

    assert response.status_code == 200
    assert "1 result" in page_text(response)
    assert f'href="/contributions/{answer.id}"' in html_of(response)
    assert "Tag: listening" in page_text(response)


def test_results_come_in_pages_with_links_that_keep_the_search(app, client, trust):
    app.config["PER_PAGE"] = 1

    html = html_of(client.get("/search?q=trust&tag=trust&page=2"))

    pages = [query_of(href) for href in hrefs(html) if "page=" in href]
    assert {"q": ["trust"], "tag": ["trust"], "page": ["1"]} in pages
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in html
    assert "past the last result" in page_text(client.get("/search?q=trust&page=9"))


def test_tag_links_on_prompts_and_contributions_lead_to_the_search_page(client, trust):
    prompt, _ = trust

    html = html_of(client.get(f"/prompts/{prompt.id}/{prompt.slug}"))

    assert 'href="/search?tag=trust">#trust</a>' in html
    # A hashtag in a contribution's text is the link itself, not a chip beside it.
    assert 'href="/search?tag=listening" rel="nofollow ugc noopener">#listening</a>' in html
    assert "/strategies?tag=" not in html
