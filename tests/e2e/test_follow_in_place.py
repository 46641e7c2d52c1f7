"""The follow buttons of a prompt page update in place with the site's own script
(static/enhance.js), and work as plain form posts without JavaScript."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.test_rating_in_place import DELEGATE, RESISTANT, open_prompt

pytestmark = pytest.mark.e2e


def test_following_a_prompt_changes_its_buttons_in_place(new_page):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "kofi")
    open_prompt(page, DELEGATE)
    address = page.url
    page.get_by_role("button", name="Follow this prompt").click()
    expect(page.get_by_text("You follow this prompt.")).to_be_visible()
    expect(page.locator(".flashes")).to_have_count(0)  # no reload: no flashed message
    assert page.url == address
    page.get_by_role("button", name="Unfollow").first.click()
    expect(page.get_by_role("button", name="Follow this prompt")).to_be_visible()


def test_following_a_prompt_without_javascript_posts_and_comes_back(new_page):
    from playwright.sync_api import expect

    page = new_page(javascript=False)
    log_in(page, "priya")
    open_prompt(page, RESISTANT)
    page.get_by_role("button", name="Mute").first.click()
    expect(page.get_by_text("Muted.")).to_be_visible()
    expect(page.get_by_text("You muted this prompt.")).to_be_visible()
