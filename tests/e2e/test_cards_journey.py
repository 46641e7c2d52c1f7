"""Cards as readers and members meet them, at 1280 and 390 pixels, axe clean: one usefulness
signal (stars with the count) that leads to "How ranking works", profiles that say reputation in
words, one-tap rating with and without JavaScript, and the confirmation of what a member did
written on the card the page opens at, which then shows its new state."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, card_of

pytestmark = pytest.mark.e2e

DELEGATE = "How do you help a founder delegate when they believe nobody can do it as well?"
SIZES = (("desktop", DESKTOP), ("phone", PHONE))


def register(page, username: str, name: str) -> None:
    from playwright.sync_api import expect

    page.goto("/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill("a-long-enough-password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Welcome to Commonplace, {name}.")).to_be_visible()


def open_delegate(page) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("link", name=re.compile("help a founder delegate")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("help a founder delegate")


def test_a_reader_sees_one_signal_that_explains_the_order(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page()
    for label, size in SIZES:
        page.set_viewport_size(size)
        open_delegate(page)
        card = card_of(page, "Priya Natarajan")
        signal = card.locator(".usefulness")
        expect(signal).to_contain_text(re.compile(r"\d\.\d out of 5 from \d+ ratings?"))
        expect(page.locator("main")).not_to_contain_text("usefulness score")
        check_a11y(page, f"prompt as a reader, {label}")

        card.locator(".usefulness__signal").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("How ranking works")
        table = page.get_by_role("table")
        expect(table).to_contain_text("5.0 out of 5 from 1 rating")
        expect(table).to_contain_text("4.6 out of 5 from 40 ratings")
        check_a11y(page, f"how ranking works, {label}")

    page.set_viewport_size(DESKTOP)
    page.goto("/u/priya")
    expect(page.locator("dl.facts")).to_contain_text(
        re.compile(r"\d+ contributions? rated useful by \d+ members?")
    )
    expect(page.locator("dl.facts")).not_to_contain_text("Reputation")
    page.get_by_role("contentinfo").get_by_role("link", name="How ranking works").click()
    expect(page).to_have_url(re.compile(r"/help/ranking$"))


def test_a_member_rates_with_one_tap_changes_and_removes_it(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page()
    register(page, "starcoach", "Star Coach")
    for label, size in SIZES:
        page.set_viewport_size(size)
        open_delegate(page)
        card = card_of(page, "Sam Rivera")
        form = card.locator(".rate-form")
        expect(form).to_contain_text("How useful?")
        if label == "phone":  # one compact line on a phone
            assert form.bounding_box()["height"] < 60, form.bounding_box()
        card.get_by_role("button", name="Rate 4 out of 5").click()
        expect(card.get_by_text("Your rating: 4")).to_be_visible()
        expect(card.locator(".card__notice")).to_have_text("Your rating of 4 is saved.")
        card.get_by_role("button", name="Rate 2 out of 5").click()
        expect(card.get_by_text("Your rating: 2")).to_be_visible()
        expect(card.get_by_role("button", name="Rate 2 out of 5")).to_have_attribute(
            "aria-pressed", "true"
        )
        check_a11y(page, f"prompt after a one-tap rating, {label}")
        card.get_by_role("button", name="Remove my rating").click()
        expect(card.locator(".rate-form")).to_contain_text("How useful?")
        expect(card.locator(".card__notice")).to_have_text("Your rating is removed.")


def test_without_javascript_the_confirmation_and_new_state_are_on_the_card(new_page, check_a11y):
    from playwright.sync_api import expect

    # (axe runs on the pages with JavaScript above: it is a script itself.)
    plain = new_page(javascript=False)
    register(plain, "plaincoach", "Plain Coach")
    for _label, size in SIZES:
        plain.set_viewport_size(size)
        open_delegate(plain)
        card = card_of(plain, "Lena Duarte")
        card.get_by_role("button", name="Rate 5 out of 5").click()
        expect(plain).to_have_url(re.compile(r"#c\d+$"))
        card = card_of(plain, "Lena Duarte")
        notice = card.locator(".card__notice")
        expect(notice).to_have_text("Your rating of 5 is saved.")
        expect(plain.locator(".flashes")).to_have_count(0)
        expect(card.get_by_text("Your rating: 5")).to_be_visible()
        card.get_by_role("button", name="Remove my rating").click()
        expect(card_of(plain, "Lena Duarte").locator(".card__notice")).to_have_text(
            "Your rating is removed."
        )

    # Flagging: the card says thanks and shows the flag instead of the Flag button.
    plain.set_viewport_size(PHONE)
    open_delegate(plain)
    card = card_of(plain, "Priya Natarajan")
    card.locator("summary", has_text="Flag").click()
    card.get_by_label("Reason").select_option("off_topic")
    card.get_by_role("button", name="Send flag").click()
    card = card_of(plain, "Priya Natarajan")
    notice = card.locator(".card__notice")
    expect(notice).to_have_text("Thank you: a moderator will look at this contribution.")
    expect(card.get_by_text("You flagged this · thanks")).to_be_visible()
    expect(card.get_by_role("button", name="Send flag")).to_have_count(0)
