"""Has this been asked? A moderator writing a new prompt sees the prompts already asked that are
most alike the title, in place as it is typed (static/similar.js), and opens one; without
JavaScript the "Check for similar prompts" button shows the same list."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

RESISTANT = re.compile("Dealing with a resistant client in coaching sessions")
TYPED = "How do I get a resistant client to take action?"


def test_the_list_follows_the_title_as_it_is_typed_and_its_links_open_the_prompts(
    new_page, check_a11y
):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "maria")
    page.goto("/prompts/new")
    region = page.get_by_role("region", name="Similar prompts already asked")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region.get_by_role("link")).to_have_count(0)

    page.get_by_label("Title (the question)").press_sequentially(TYPED, delay=20)

    expect(region.get_by_role("link", name=RESISTANT)).to_be_visible()
    expect(region).to_contain_text("% alike")
    assert page.url.endswith("/prompts/new")  # in place: the page was not posted
    expect(page.get_by_label("Title (the question)")).to_have_value(TYPED)
    check_a11y(page, "new prompt with similar prompts")

    region.get_by_role("link", name=RESISTANT).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(RESISTANT)


def test_without_javascript_the_check_button_shows_the_list_and_keeps_the_form(new_page):
    from playwright.sync_api import expect

    page = new_page(javascript=False)
    log_in(page, "maria")
    page.goto("/prompts/new")
    page.get_by_label("Title (the question)").fill(TYPED)
    page.get_by_label("Introduction").fill("They agree in the session, then do nothing.")

    page.get_by_role("button", name="Check for similar prompts").click()

    region = page.get_by_role("region", name="Similar prompts already asked")
    expect(region.get_by_role("link", name=RESISTANT)).to_be_visible()
    expect(page.get_by_label("Title (the question)")).to_have_value(TYPED)
    expect(page.get_by_label("Introduction")).to_have_value(
        "They agree in the session, then do nothing."
    )
