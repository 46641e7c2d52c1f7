"""Empty states agree with their headings: a page past the last one says so and links back,
the 404 page's suggestions are links, and the search boxes say what to type."""

from __future__ import annotations

import re

from tests.factories import make_contribution, make_prompt, rate_many
from tests.helpers import page_text, prompt_page


def test_a_prompt_page_past_the_last_one_says_so_and_links_to_the_last_page(client):
    prompt = make_prompt(title="How do you unlock motivation?")
    for n in range(2):
        make_contribution(prompt=prompt, body=f"Small steps, number {n}.")

    response = prompt_page(client, prompt, "?page=4")

    text = page_text(response)
    assert "2 contributions" in text
    assert "No contributions yet" not in text
    assert "No more contributions: this page is past the last one." in text
    last = re.search(r'<a href="([^"]+)">Go to the last page</a>', response.get_data(as_text=True))
    assert client.get(last.group(1).replace("&amp;", "&")).status_code == 200
    assert "Small steps, number 0." in page_text(client.get(last.group(1).replace("&amp;", "&")))


def test_a_prompt_without_contributions_still_says_none_yet(client):
    prompt = make_prompt()
    assert "No contributions yet." in page_text(prompt_page(client, prompt))


def test_strategies_past_the_last_page_say_so_instead_of_none_match(client):
    contribution = make_contribution(body="Ask why first.")
    rate_many(contribution, [5])

    text = page_text(client.get("/strategies?page=3"))

    assert "1 strategy" in text
    assert "No strategies match" not in text
    assert "No more strategies: this page is past the last one." in text


def test_the_not_found_page_links_to_the_topics(client):
    body = client.get("/no/such/page").get_data(as_text=True)
    assert re.search(r'<a href="/">browse the topics</a>', body)


def test_the_search_boxes_say_what_to_type(client):
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="site-search-q"[^>]*placeholder="[^"]+"', home)
    search = client.get("/search").get_data(as_text=True)
    assert re.search(r'id="search-q"[^>]*placeholder="[^"]+"', search)
