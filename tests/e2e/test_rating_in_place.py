"""The rating form works from the keyboard alone, updates the page in place with the site's own
script (static/enhance.js), and still works as a plain form post without JavaScript."""

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
        raise AssertionError(f"Tab never reached the rating scale of {card_id}")
    assert_focus_visible(state)
    # Arrow keys move through a radio group and choose as they go: 1 -> 4.
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert focused(page)["value"] == "4"
    expect(card.get_by_label("4", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    state = focused(page)
    assert (state["tag"], state["card"]) == ("BUTTON", card_id), state
    assert_focus_visible(state)
    page.keyboard.press("Enter")
    expect(card.get_by_text("You rated this 4.")).to_be_visible()
    expect(card.locator(".usefulness")).to_contain_text("average from 3 ratings")
    # The focus stays in the card, on the form's button, so the keyboard user is not lost.
    expect(card.get_by_role("button", name="Change my rating")).to_be_focused()


def test_rating_updates_the_page_in_place_and_works_without_javascript(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "priya")
    open_prompt(page, DELEGATE)
    address = page.url
    page.evaluate("() => { window.__stillHere = 'yes'; }")
    card = card_of(page, "Lena Duarte")
    expect(card.locator(".usefulness")).to_contain_text("4.0 average from 1 rating")
    card.get_by_label("5", exact=True).check()
    card.get_by_role("button", name="Rate").click()
    expect(card.locator(".usefulness")).to_contain_text("4.5 average from 2 ratings")
    expect(card.get_by_text("You rated this 5.")).to_be_visible()
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
    expect(card.get_by_label("5", exact=True)).to_be_checked()
    card.get_by_label("3", exact=True).check()
    card.get_by_role("button", name="Change my rating").click()
    expect(plain.get_by_text("Your rating of 3 is saved.")).to_be_visible()
    expect(plain).to_have_url(re.compile(r"#c\d+$"))
    expect(card_of(plain, "Lena Duarte").locator(".usefulness")).to_contain_text(
        "3.5 average from 2 ratings"
    )
    plain.locator("#helpful").get_by_role("button", name="Withdraw my vote").click()
    expect(plain.get_by_text("Your vote on this prompt is withdrawn.")).to_be_visible()
    expect(plain.locator("#helpful .helpful__counts")).to_have_text("0 yes · 0 no")
