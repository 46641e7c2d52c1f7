"""Reading and writing journeys, at 1280 and 390 pixels with axe clean: a long contribution folds
behind "Show more" (without JavaScript too), a hashtag shows once, the Markdown preview (with
JavaScript), the history's diff, the By key point view, and empty states that agree with their
headings."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, card_of, log_in

pytestmark = pytest.mark.e2e

RESISTANT = "Dealing with a resistant client in coaching sessions"
DELEGATE = "How do you help a founder delegate when they believe nobody can do it as well?"
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])


def open_prompt(page, title: str) -> str:
    """Open a demo prompt from the home page; its address without the fragment."""
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("link", name=re.compile(re.escape(title[:40]))).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title[:40])
    return page.url.split("#")[0].split("?")[0]


def long_text(label: str) -> str:
    paragraphs = [
        f"Part {n} ({label}): " + " ".join(["we", "listen", "first", "and", "ask"] * 9) + "."
        for n in range(5)
    ]
    return "\n\n".join(paragraphs) + f"\n\nLast words of the {label} story. #long-stories"


@SIZES
def test_a_long_contribution_folds_and_its_hashtag_shows_once_without_javascript(
    new_page, check_a11y, size
):
    from playwright.sync_api import expect

    label = f"fold-{size['width']}"
    page = new_page(javascript=False)
    page.set_viewport_size(size)
    log_in(page, "lena")
    open_prompt(page, DELEGATE)
    page.get_by_role("textbox", name="Your experience").fill(long_text(label))
    page.get_by_role("button", name="Post contribution").click()

    card = page.locator("article.contribution").filter(has_text=f"Part 0 ({label})")
    expect(card).to_be_visible()
    expect(card.get_by_text(f"Part 0 ({label})")).to_be_visible()
    expect(card.get_by_text(f"Last words of the {label} story.")).to_be_hidden()
    more = card.locator("summary").filter(has_text="Show more")
    expect(more).to_be_visible()
    more.click()  # a <details>: opens with no script
    expect(card.get_by_text(f"Last words of the {label} story.")).to_be_visible()
    # The hashtag is a link where it was written, and no chip repeats it.
    expect(card.get_by_role("link", name="#long-stories")).to_have_count(1)

    # axe runs as a script: the same card, read by a reader whose browser runs scripts.
    reader = new_page()
    reader.set_viewport_size(size)
    reader.goto(page.url.split("#")[0])
    card = reader.locator("article.contribution").filter(has_text=f"Part 0 ({label})")
    expect(card.get_by_text(f"Last words of the {label} story.")).to_be_hidden()
    check_a11y(reader, f"folded card at {size['width']}")
    card.locator("summary").filter(has_text="Show more").click()
    expect(card.get_by_text(f"Last words of the {label} story.")).to_be_visible()
    check_a11y(reader, f"opened card at {size['width']}")


@SIZES
def test_a_member_previews_markdown_edits_and_sees_the_diff(new_page, check_a11y, size):
    from playwright.sync_api import expect

    label = f"diff-{size['width']}"
    page = new_page()
    page.set_viewport_size(size)
    log_in(page, "kofi")
    open_prompt(page, DELEGATE)
    box = page.get_by_role("textbox", name="Your experience")
    box.fill(f"Start **small** ({label}) and grow.")
    page.locator("#contribute").get_by_role("button", name="Preview").click()
    preview = page.locator("#contribute .preview")
    expect(preview.locator("strong")).to_have_text("small")
    check_a11y(page, f"preview at {size['width']}")
    page.get_by_role("button", name="Post contribution").click()

    card = page.locator("article.contribution").filter(has_text=f"({label})")
    expect(card).to_be_visible()
    card.get_by_role("link", name=re.compile("^Edit")).click()
    edit_box = page.get_by_role("textbox", name="Your experience")
    edit_box.fill(f"Start **tiny** ({label}) and grow, week by week.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview strong")).to_have_text("tiny")
    page.get_by_role("button", name=re.compile("Save")).click()

    card = page.locator("article.contribution").filter(has_text=f"({label})")
    card.get_by_role("link", name=re.compile("^edited")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of a contribution")
    diff = page.locator(".diff").first
    expect(diff.locator("del").filter(has_text="small")).to_be_visible()
    expect(diff.locator("ins").filter(has_text="tiny")).to_be_visible()
    expect(page.get_by_text(re.compile(r"words? taken out \(struck through\)"))).to_be_visible()
    check_a11y(page, f"history diff at {size['width']}")


@SIZES
def test_by_key_point_groups_contributions_for_readers_and_members(new_page, check_a11y, size):
    from playwright.sync_api import expect

    page = new_page()
    page.set_viewport_size(size)
    open_prompt(page, RESISTANT)
    page.get_by_role("link", name="By key point").click()
    section = page.locator("section#contributions")
    expect(section.get_by_role("heading", level=2)).to_contain_text("by key point")
    group = section.locator("section.key-point-group").filter(
        has=page.get_by_role("heading", name="Cultivate trust", level=3)
    )
    expect(group.locator("article.contribution").first).to_be_visible()
    check_a11y(page, f"by key point, reader, at {size['width']}")

    member = new_page()
    member.set_viewport_size(size)
    log_in(member, "ada")
    member.goto(page.url)
    section = member.locator("section#contributions")
    expect(section.get_by_role("heading", level=2)).to_contain_text("by key point")
    expect(section.get_by_role("link", name="By key point")).to_have_attribute(
        "aria-current", "page"
    )
    # The member's own part is written in: their rating controls are on the grouped cards.
    expect(card_of(member, "Sam Rivera").locator("form").first).to_be_attached()
    check_a11y(member, f"by key point, member, at {size['width']}")


@SIZES
def test_empty_states_agree_with_their_headings(new_page, check_a11y, size):
    from playwright.sync_api import expect

    page = new_page()
    page.set_viewport_size(size)
    address = open_prompt(page, RESISTANT)
    expect(page.locator("#site-search-q")).to_have_attribute("placeholder", re.compile(r"\w"))

    page.goto(address + "?page=9")
    past = page.get_by_text("No more contributions: this page is past the last one.")
    expect(past).to_be_visible()
    expect(page.get_by_text("No contributions yet")).to_have_count(0)
    check_a11y(page, f"past the last page at {size['width']}")
    page.get_by_role("link", name="Go to the last page").click()
    expect(page.locator("article.contribution").first).to_be_visible()

    page.goto("/strategies?page=9")
    past = page.get_by_text("No more strategies: this page is past the last one.")
    expect(past).to_be_visible()
    expect(page.get_by_text("No strategies match")).to_have_count(0)

    page.goto("/no/such/page")
    check_a11y(page, f"not found at {size['width']}")
    page.get_by_role("link", name="browse the topics").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto("/search")
    expect(page.locator("#search-q")).to_have_attribute("placeholder", re.compile(r"\w"))
