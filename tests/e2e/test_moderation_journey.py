"""Browser journeys of moderation and the editors' tools, at 1280 and 390 pixels with axe clean:
a flag resolved from its own row, the audit log read as sentences and filtered, a lock that asks
why, a purge that asks to confirm, a member's hidden content on their profile, a staff header on
one line, a new prompt that needs a topic, and a new API token shown once."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, card_of, log_in

pytestmark = pytest.mark.e2e

NOTE = "Names a client by their full name."


def header_rows(page) -> int:
    """How many lines the header's parts sit on (their middles within a few pixels share one),
    failing if any part sticks out of the window."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll(
            '.site-name, .site-nav li, .account-nav li, .site-search')]
            .map(el => el.getBoundingClientRect())
            .map(r => [r.top + r.height / 2, r.right])"""
    )
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert max(right for _, right in boxes) <= width, "the header sticks out of the window"
    middles = sorted(middle for middle, _ in boxes)
    return 1 + sum(1 for a, b in zip(middles, middles[1:], strict=False) if b - a > 12)


def both_widths(page, check_a11y, label: str) -> None:
    """axe at a desktop and a phone width, back to the desktop."""
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        check_a11y(page, f"{label} ({name})")
    page.set_viewport_size(DESKTOP)


def test_a_moderator_resolves_a_flag_from_its_row_and_reads_it_in_the_log(
    new_page, check_a11y, shoot
):
    from playwright.sync_api import expect

    member = new_page()
    log_in(member, "sam")
    member.goto("/")
    member.get_by_role("link", name=re.compile("keep a new habit")).first.click()
    card = card_of(member, "Kofi Mensah")
    card.locator("details.flag > summary").click()
    card.get_by_label("Reason").select_option(label="Something else")
    card.get_by_label("Note for the moderators (optional)").fill(NOTE)
    card.get_by_role("button", name="Send flag").click()

    page = new_page()
    log_in(page, "maria")
    assert header_rows(page) == 1, "the staff header wraps at 1280 px"
    page.set_viewport_size({"width": 1024, "height": 800})
    header_rows(page)  # narrower, it may wrap, but nothing sticks out
    page.set_viewport_size(DESKTOP)

    page.goto("/moderation")
    row = page.locator("article.flag-group").filter(has_text=NOTE)
    expect(row).to_have_count(1)
    both_widths(page, check_a11y, "flag queue with row decisions")
    shoot(page, "moderation-queue-rows")
    row.get_by_role("textbox", name="Note (optional)").fill("names a client")
    row.get_by_role("button", name="Hide this contribution").click()
    expect(page.get_by_text("Done for 1 contribution")).to_be_visible()
    expect(page.locator("article.flag-group").filter(has_text=NOTE)).to_have_count(0)

    page.get_by_role("link", name="Audit log").first.click()
    sentence = page.locator("li.log-entry").filter(has_text="maria hid kofi’s contribution on")
    expect(sentence.first).to_contain_text(": names a client")
    expect(sentence.first.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^/contributions/\d+$")
    )
    page.get_by_label("Moderator").select_option("maria")
    page.get_by_label("Action", exact=True).select_option(label="Hide")
    page.get_by_role("button", name="Show").click()
    assert "moderator=maria" in page.url and "action=hide" in page.url
    expect(page.get_by_role("heading", name=re.compile("match"))).to_be_visible()
    both_widths(page, check_a11y, "audit log filtered")
    shoot(page, "audit-log-sentences")

    page.goto("/moderation/log?since=last-week")
    expect(page.get_by_text("Write the day as YYYY-MM-DD")).to_be_visible()
    check_a11y(page, "audit log with a bad filter")

    page.goto("/u/kofi")
    hidden = page.get_by_role("region", name="Hidden by moderators")
    expect(hidden).to_contain_text("Hidden: names a client")
    both_widths(page, check_a11y, "profile with hidden content")
    member.goto("/u/kofi")
    expect(member.get_by_role("heading", name="Hidden by moderators")).to_have_count(0)

    # Put the demo back as it was for other journeys: restore from the contribution's page.
    hidden.get_by_role("link").first.click()
    page.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("The contribution is visible again.")).to_be_visible()


def test_locking_asks_why_and_a_purge_asks_to_confirm_without_javascript(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page(javascript=False)
    log_in(page, "maria")
    page.goto("/")
    page.get_by_role("link", name=re.compile("keep a new habit")).first.click()
    lock = page.locator("details.moderation-tools__lock")
    lock.locator("summary").click()
    reason = lock.get_by_label("Reason")
    expect(reason).to_have_attribute("required", "")
    reason.fill("Enough answers for now")
    lock.get_by_role("button", name="Lock the prompt").click()
    expect(page.get_by_text("The prompt is locked.")).to_be_visible()
    prompt_url = page.url
    page.goto("/moderation/log?action=status_locked")
    expect(page.locator("li.log-entry").first).to_contain_text("locked the prompt ‘")
    expect(page.locator("li.log-entry").first).to_contain_text(": Enough answers for now")
    page.goto(prompt_url)
    page.get_by_role("button", name="Unlock prompt").click()
    expect(page.get_by_text("The prompt is open again.")).to_be_visible()

    page.goto("/u/lena")
    purge = page.locator("form.moderation-form--danger")
    button = purge.get_by_role("button", name="Purge lena")
    expect(button).to_have_class(re.compile("button--danger"))
    expect(purge.get_by_label("Type the username")).to_have_attribute("required", "")
    purge.get_by_label("Reason").fill("testing the confirmation")
    purge.get_by_label("Type the username").fill("not-lena")
    button.click()
    expect(page.get_by_text("Nothing was purged: type lena to confirm.")).to_be_visible()
    expect(page.get_by_text("Suspended", exact=True)).to_have_count(0)

    # axe runs in the page's JavaScript: the same pages, in a browser that has it.
    seen = new_page()
    log_in(seen, "maria")
    seen.goto(prompt_url)
    seen.locator("details.moderation-tools__lock summary").click()
    both_widths(seen, check_a11y, "prompt with the lock form open")
    seen.goto("/u/lena")
    both_widths(seen, check_a11y, "profile with the purge form")


def test_a_new_prompt_needs_a_topic_and_editing_keeps_it(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "maria")
    page.goto("/prompts/new")
    topic = page.get_by_label("Topic")
    expect(topic).to_have_value("")
    expect(topic.locator("option").first).to_have_text("Choose a topic")
    expect(topic).to_have_attribute("required", "")
    both_widths(page, check_a11y, "new prompt form")

    # The browser's own check aside, the server refuses a prompt without a topic.
    page.evaluate("() => document.querySelector('select[name=topic]').removeAttribute('required')")
    page.get_by_label("Title (the question)").fill("Where do you file a prompt with no topic?")
    page.get_by_role("button", name="Publish prompt").click()
    expect(page.get_by_text("Choose a topic for the prompt.")).to_be_visible()
    expect(page.get_by_label("Title (the question)")).to_have_value(
        "Where do you file a prompt with no topic?"
    )
    check_a11y(page, "new prompt without a topic")

    page.get_by_label("Title (the question)").fill("How do you end a session that overruns?")
    page.get_by_label("Topic").select_option(label="Business Coaching")
    page.get_by_role("button", name=re.compile("Publish")).click()
    if page.get_by_role("button", name="Publish anyway").count():
        page.get_by_role("button", name="Publish anyway").click()
    expect(page.get_by_text("The prompt is published.")).to_be_visible()
    page.get_by_role("link", name="Edit prompt").click()
    expect(page.get_by_label("Topic")).to_have_value("business-coaching")


def test_a_new_api_token_is_shown_once_on_top_with_a_copy_button(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "tom")
    page.goto("/settings")
    page.get_by_label("Token name").fill("reporting script")
    page.get_by_role("button", name="Create token").click()
    assert page.url.endswith("/settings")
    secret = page.get_by_label("Token", exact=True)
    expect(secret).to_be_in_viewport()
    value = secret.input_value()
    assert value.startswith("cp_") and value not in page.url
    copy = page.get_by_role("button", name="Copy token")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == value
    both_widths(page, check_a11y, "settings with a new token")

    page.reload()
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)
    assert value not in page.content()
    expect(page.get_by_role("cell", name="reporting script", exact=True)).to_have_count(1)

    nojs = new_page(javascript=False)
    log_in(nojs, "tom")
    nojs.goto("/settings")
    nojs.get_by_label("Token name").fill("no-script token")
    nojs.get_by_role("button", name="Create token").click()
    expect(nojs.get_by_label("Token", exact=True)).to_be_visible()
    expect(nojs.get_by_role("button", name="Copy token")).to_be_hidden()
