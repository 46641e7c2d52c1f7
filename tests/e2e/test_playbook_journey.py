"""A member saves a strategy from its card (in place, with the site's script), finds it in their
playbook, changes its reminder and removes it; the playbook is checked with axe-core at desktop
and phone sizes, full and empty."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, card_of, log_in
from tests.e2e.test_rating_in_place import RESISTANT, open_prompt

pytestmark = pytest.mark.e2e


def check_both_sizes(page, check_a11y, label: str) -> None:
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        check_a11y(page, f"{label} at {name} size")
    page.set_viewport_size(DESKTOP)


def test_a_member_saves_a_strategy_finds_it_in_the_playbook_and_removes_it(
    new_page, check_a11y, shoot
):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "lena")
    open_prompt(page, RESISTANT)
    address = page.url
    card = card_of(page, "Tom Becker")
    card.get_by_role("button", name="Save to try").click()
    expect(card.get_by_text("In your playbook")).to_be_visible()
    expect(page.locator(".flashes")).to_have_count(0)  # in place: no reload
    assert page.url == address

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Playbook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your playbook")
    entry = page.locator(".playbook-item").filter(has_text="Tom Becker's strategy")
    expect(entry).to_have_count(1)
    expect(entry.get_by_text("To try")).to_be_visible()
    expect(entry.get_by_role("link", name=re.compile("Tell how it went"))).to_be_visible()
    check_both_sizes(page, check_a11y, "the playbook")
    shoot(page, "playbook")

    entry.get_by_label("Remind me in").select_option("30")
    entry.get_by_role("button", name=re.compile("Change reminder")).click()
    expect(page.get_by_text("we will ask you how it went on")).to_be_visible()

    entry = page.locator(".playbook-item").filter(has_text="Tom Becker's strategy")
    entry.get_by_role("button", name=re.compile("^Remove")).click()
    expect(page.get_by_text("Removed from your playbook.")).to_be_visible()
    expect(page.get_by_text("Your playbook is empty")).to_be_visible()
    check_both_sizes(page, check_a11y, "the empty playbook")
    shoot(page, "playbook-empty")


def test_saving_without_javascript_posts_and_comes_back_to_the_card(new_page):
    from playwright.sync_api import expect

    page = new_page(javascript=False)
    log_in(page, "lena")
    open_prompt(page, RESISTANT)
    card = card_of(page, "Tom Becker")
    card.get_by_role("button", name="Save to try").click()
    expect(page.get_by_text("Saved to your playbook")).to_be_visible()
    card = card_of(page, "Tom Becker")
    card.get_by_role("button", name="Remove from playbook").click()
    expect(page.get_by_text("Removed from your playbook.")).to_be_visible()
    expect(card_of(page, "Tom Becker").get_by_role("button", name="Save to try")).to_be_visible()
