"""The stars rate from the keyboard alone, update the page in place with the site's own script
(static/enhance.js), and still work as a plain form post without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import card_of, log_in

pytestmark = pytest.mark.e2e

RESISTANT = "Dealing with a resistant client in coaching sessions"
DELEGATE = "How do you help a founder delegate when they believe nobody can do it as well?"

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, type: el.type || "", name: el.name || "", value: el.value || "",
    card: el.closest("article.contribution") ? el.closest("article.contribution").id : "",
    outline: style.outlineStyle, outlineWidth: style.outlineWidth, shadow: style.boxShadow,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS_STYLE)


def assert_focus_visible(state: dict) -> None:
    visible_outline = state["outline"] != "none" and state["outlineWidth"] != "0px"
    assert visible_outline or state["shadow"] != "none", f"no visible focus on {state}"


def open_prompt(page, title_pattern: str) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("link", name=re.compile(title_pattern)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile(title_pattern.split("?")[0])
    )


def test_a_member_rates_with_the_keyboard_alone_and_sees_where_the_focus_is(new_page):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "kofi")
    open_prompt(page, RESISTANT)
    card = card_of(page, "Tom Becker")
    card_id = card.get_attribute("id")
    # Start where a reader following a link to the contribution starts: at the card.
    page.goto(page.url.split("#")[0] + f"#{card_id}")
    for _ in range(20):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["card"] == card_id and state["name"] == "score":
            break
    else:
        raise AssertionError(f"Tab never reached the stars of {card_id}")
    assert_focus_visible(state)
    assert state["value"] == "1"
    # Each star is a button: Tab moves on to the next, Enter rates.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert focused(page)["value"] == "4"
    page.keyboard.press("Enter")
    expect(card.get_by_text("Your rating: 4")).to_be_visible()
    expect(card.locator(".usefulness")).to_contain_text("from 3 ratings")
    # The focus stays in the card, on the star now pressed, so the keyboard user is not lost.
    pressed = card.get_by_role("button", name="Rate 4 out of 5")
    expect(pressed).to_be_focused()
    expect(pressed).to_have_attribute("aria-pressed", "true")
    assert_focus_visible(focused(page))


def test_rating_updates_the_page_in_place_and_works_without_javascript(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "priya")
    open_prompt(page, DELEGATE)
    address = page.url
    page.evaluate("() => { window.__stillHere = 'yes'; }")
    card = card_of(page, "Lena Duarte")
    expect(card.locator(".usefulness")).to_contain_text("4.0 out of 5 from 1 rating")
    card.get_by_role("button", name="Rate 5 out of 5").click()
    expect(card.locator(".usefulness")).to_contain_text("4.5 out of 5 from 2 ratings")
    expect(card.get_by_text("Your rating: 5")).to_be_visible()
    expect(card.locator(".card__notice")).to_have_text("Your rating of 5 is saved.")
    expect(page.get_by_role("status").filter(has_text="Your rating of 5 is saved.")).to_have_count(
        1
    )
    assert page.url == address
    assert page.evaluate("() => window.__stillHere") == "yes"

    helpful = page.locator("#helpful")
    helpful.get_by_role("button", name="No, not helpful").click()
    expect(helpful.locator(".helpful__counts")).to_have_text("0 yes · 1 no")
    helpful.get_by_role("button", name="Yes, helpful").click()
    expect(helpful.locator(".helpful__counts")).to_have_text("1 yes · 0 no")
    expect(helpful.get_by_role("button", name="Yes, helpful")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate("() => window.__stillHere") == "yes"
    check_a11y(page, "prompt after rating in place")

    plain = new_page(javascript=False)
    log_in(plain, "priya")
    open_prompt(plain, DELEGATE)
    card = card_of(plain, "Lena Duarte")
    expect(card.get_by_text("Your rating: 5")).to_be_visible()
    card.get_by_role("button", name="Rate 3 out of 5").click()
    card = card_of(plain, "Lena Duarte")
    expect(card.get_by_text("Your rating of 3 is saved.")).to_be_visible()
    expect(plain).to_have_url(re.compile(r"#c\d+$"))
    expect(card.locator(".usefulness")).to_contain_text("3.5 out of 5 from 2 ratings")
    plain.locator("#helpful").get_by_role("button", name="Withdraw my vote").click()
    expect(plain.get_by_text("Your vote on this prompt is withdrawn.")).to_be_visible()
    expect(plain.locator("#helpful .helpful__counts")).to_have_text("0 yes · 0 no")
