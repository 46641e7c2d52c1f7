"""A member says what happened when they tried a strategy, from its card on the prompt page:
without JavaScript and with it, the card then shows the evidence line and their own report; the
"Proven in practice" tab lists the strategies three members or more tried. The pages with the
form open, after a report and the tab are checked with axe-core at desktop and phone sizes (in
the journey with JavaScript: axe runs as a script in the page)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, card_of, log_in
from tests.e2e.test_journeys import HABIT
from tests.e2e.test_rating_in_place import RESISTANT, open_prompt

pytestmark = pytest.mark.e2e


def check_both_sizes(page, check_a11y, label: str) -> None:
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        check_a11y(page, f"{label} ({name})")
    page.set_viewport_size(DESKTOP)


def report(card, result: str, setting: str | None, note: str = "") -> None:
    """Open "I tried this" on the card and send the form as a person does."""
    card.get_by_text("I tried this", exact=True).click()
    card.get_by_label(result, exact=True).check()
    if setting:
        card.get_by_label("Where did you try it?").select_option(label=setting)
    if note:
        card.get_by_label("A note for the author").fill(note)
    card.get_by_role("button", name="Report what happened").click()


def test_a_member_reports_an_outcome_without_javascript(new_page):
    from playwright.sync_api import expect

    page = new_page(javascript=False)
    log_in(page, "kofi")
    open_prompt(page, RESISTANT)
    card = card_of(page, "Lena Duarte")
    expect(card.locator(".evidence")).to_have_count(0)  # nobody tried it yet
    # Their own card offers no form: others say whether it worked.
    expect(card_of(page, "Kofi Mensah").get_by_text("I tried this")).to_have_count(0)
    report(card, "It worked", "One to one", "Naming the pattern worked with a teenager.")
    expect(page.get_by_text("Thank you: your report is saved (it worked).")).to_be_visible()
    card_id = card.get_attribute("id")
    assert page.url.endswith(f"#{card_id}")
    expect(card.locator(".evidence")).to_have_text("Tried by 1 · 1 worked · mostly 1:1")
    expect(card.get_by_text("You tried this: it worked.")).to_be_visible()

    card.get_by_role("button", name="Remove my report of trying it").click()
    expect(page.get_by_text("Your report is removed.")).to_be_visible()
    expect(card.locator(".evidence")).to_have_count(0)
    report(card, "It partly worked", None)
    expect(card.get_by_text("You tried this: it partly worked.")).to_be_visible()
    expect(card.locator(".evidence")).to_have_text("Tried by 1 · 0 worked")


def test_a_member_reports_with_javascript_and_opens_the_proven_tab(new_page, check_a11y, shoot):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "maria")
    open_prompt(page, HABIT)
    card = card_of(page, "Kofi Mensah")
    card.get_by_text("I tried this", exact=True).click()
    expect(card.get_by_text("Only the author and moderators see your note.")).to_be_visible()
    # axe and the screenshots run scripts in the page: this journey has JavaScript on.
    check_both_sizes(page, check_a11y, "prompt page with the outcome form open")
    shoot(page, "outcome-form")
    card.get_by_text("I tried this", exact=True).click()  # closed again: report() opens it
    report(card, "It worked", "With a team")
    expect(page.get_by_text("Thank you: your report is saved (it worked).")).to_be_visible()
    expect(card.locator(".evidence")).to_have_text("Tried by 1 · 1 worked · mostly with teams")
    expect(card.get_by_text("You tried this: it worked.")).to_be_visible()
    check_both_sizes(page, check_a11y, "prompt page after reporting")

    page.goto("/strategies")
    page.get_by_role("navigation", name="Order strategies").get_by_role(
        "link", name="Proven in practice"
    ).click()
    expect(page).to_have_url(re.compile(r"sort=proven"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Proven in practice")
    rows = page.locator("article.contribution")
    expect(rows).to_have_count(3)  # the demo's strategies that three members or more tried
    expect(rows.first.locator(".evidence")).to_contain_text(
        re.compile(r"Tried by \d+ · \d+ worked")
    )
    check_both_sizes(page, check_a11y, "proven tab")
    shoot(page, "proven-tab")
