"""Three people use the demo community in a real browser: a reader, a newcomer and a moderator.
Each step asserts what the person sees; every page is checked with axe-core and photographed at
desktop and phone sizes (the folder is printed)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import card_of, log_in

pytestmark = pytest.mark.e2e

RESISTANT = "Dealing with a resistant client in coaching sessions"
DELEGATE = "How do you help a founder delegate when they believe nobody can do it as well?"
HABIT = "What helps clients keep a new habit past the first month?"


def test_a_reader_browses_a_topic_and_a_prompt_sorts_and_searches(new_page, check_a11y, shoot):
    from playwright.sync_api import expect

    page = new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Strategies that worked, rated by coaches"
    )
    check_a11y(page, "home")
    shoot(page, "home")

    page.get_by_role("link", name="Life Coaching", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Life Coaching")
    check_a11y(page, "topic")
    shoot(page, "topic")

    page.get_by_role("link", name=re.compile(RESISTANT)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(RESISTANT)
    expect(page.get_by_role("heading", name="Key points")).to_be_visible()
    expect(page.get_by_role("heading", name="5 contributions")).to_be_visible()
    check_a11y(page, "prompt")
    shoot(page, "prompt")

    tabs = page.get_by_role("navigation", name="Sort contributions")
    titles = page.locator("article.contribution .card__title")
    tabs.get_by_role("link", name="Newest").click()
    expect(page).to_have_url(re.compile(r"sort=newest"))
    expect(tabs.get_by_role("link", name="Newest")).to_have_attribute("aria-current", "page")
    expect(titles.first).to_have_text("Kofi Mensah")
    tabs.get_by_role("link", name="Oldest").click()
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(titles.first).to_have_text("Sam Rivera")
    expect(titles.last).to_have_text("Kofi Mensah")
    tabs.get_by_role("link", name="Most useful").click()
    expect(page).to_have_url(re.compile(r"sort=useful"))
    expect(tabs.get_by_role("link", name="Most useful")).to_have_attribute("aria-current", "page")
    expect(titles.first).to_have_text("Sam Rivera")

    search = page.get_by_role("searchbox", name="Search prompts and contributions")
    search.fill("momentum")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=momentum"))
    expect(page.locator("mark").filter(has_text=re.compile("momentum", re.I)).first).to_be_visible()
    check_a11y(page, "search")
    shoot(page, "search")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Strategies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Top strategies")
    check_a11y(page, "strategies")
    shoot(page, "strategies")
    page.get_by_role("link", name="Sam Rivera").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Rivera")
    check_a11y(page, "profile")
    shoot(page, "profile")


def test_a_newcomer_registers_contributes_rates_votes_and_edits(new_page, check_a11y, shoot):
    from playwright.sync_api import expect

    page = new_page()
    page.goto("/register")
    check_a11y(page, "register")
    shoot(page, "register")
    page.get_by_label("Username").fill("newcoach")
    page.get_by_label("Email").fill("newcoach@example.org")
    page.get_by_label("Display name").fill("Noor Coach")
    page.get_by_label("Password").fill("a-long-enough-password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to Commonplace, Noor Coach.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()

    page.goto("/login")
    check_a11y(page, "login")
    shoot(page, "login")
    log_in(page, "newcoach", "a-long-enough-password")

    page.get_by_role("link", name=HABIT).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HABIT)
    page.get_by_role("textbox", name="Your experience").fill(
        "Pair the habit with a **tiny reward** the same day. #streaks"
    )
    page.get_by_label("Which key point does it answer?").select_option(label="Plan for lapses")
    page.get_by_role("button", name="Post contribution").click()
    expect(page.get_by_text("Thank you: your experience is posted.")).to_be_visible()
    mine = card_of(page, "Noor Coach")
    expect(mine.locator("strong", has_text="tiny reward")).to_be_visible()
    expect(mine.get_by_role("link", name="#streaks")).to_be_visible()
    expect(mine.get_by_text("This is your contribution: others rate it.")).to_be_visible()
    check_a11y(page, "prompt as a member")
    shoot(page, "prompt-member")

    for author, score, summary in (
        ("Tom Becker", "4", re.compile(r"out of 5 from 4 ratings")),
        ("Kofi Mensah", "5", re.compile(r"out of 5 from \d+ ratings")),
    ):
        card = card_of(page, author)
        card.get_by_role("button", name=f"Rate {score} out of 5").click()
        expect(card.get_by_text(f"Your rating: {score}")).to_be_visible()
        expect(card.locator(".usefulness")).to_contain_text(summary)

    helpful = page.locator("#helpful")
    helpful.get_by_role("button", name="Yes, helpful").click()
    expect(helpful.get_by_role("button", name="Yes, helpful")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(helpful.locator(".helpful__counts")).to_have_text(re.compile(r"^1 yes · 0 no$"))

    mine.get_by_role("link", name="Edit this contribution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit contribution")
    check_a11y(page, "edit contribution")
    shoot(page, "edit-contribution")
    page.get_by_role("textbox", name="Your experience").fill(
        "Pair the habit with a **tiny reward** the same day, and write it down. #streaks"
    )
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your changes are saved")).to_be_visible()
    mine = card_of(page, "Noor Coach")
    expect(mine.locator(".prose").first).to_contain_text("and write it down.")
    expect(mine.get_by_role("link", name=re.compile(r"^edited"))).to_be_visible()

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    check_a11y(page, "settings")
    shoot(page, "settings")


def test_a_moderator_writes_a_prompt_works_flags_features_locks_and_reads_the_log(
    new_page, check_a11y, shoot
):
    from playwright.sync_api import expect

    member = new_page()
    log_in(member, "lena")
    member.goto("/")
    member.get_by_role("link", name=DELEGATE).first.click()
    flagged = card_of(member, "Sam Rivera")
    flagged.locator("details.flag > summary").click()
    flagged.get_by_label("Reason").select_option(label="Off topic")
    flagged.get_by_label("Note for the moderators (optional)").fill("Reads like an advert.")
    check_a11y(member, "prompt with the flag form open")
    flagged.get_by_role("button", name="Send flag").click()
    expect(
        member.get_by_text("Thank you: a moderator will look at this contribution.")
    ).to_be_visible()

    page = new_page()
    log_in(page, "maria")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New prompt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New prompt")
    check_a11y(page, "new prompt")
    shoot(page, "new-prompt")
    title = "How do you close a coaching engagement well?"
    page.get_by_label("Title (the question)").fill(title)
    page.get_by_label("Introduction").fill("Endings matter as much as beginnings.")
    page.get_by_label("Topic").select_option(label="Life Coaching")
    page.get_by_label("Tags").fill("endings, closure")
    rows = page.locator("fieldset.key-point-row")
    rows.nth(0).get_by_label("Title").fill("Review the journey")
    rows.nth(0).get_by_label("What it means").fill("Look back at where the client started.")
    rows.nth(1).get_by_label("Title").fill("Plan what comes next")
    page.get_by_role("button", name="Publish prompt").click()
    expect(page.get_by_text("The prompt is published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name="Review the journey")).to_be_visible()
    expect(page.get_by_role("heading", name="Plan what comes next")).to_be_visible()
    new_prompt_url = page.url
    check_a11y(page, "new prompt published")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flag queue")
    group = page.locator("article.flag-group").filter(has_text="Reads like an advert.")
    expect(group).to_have_count(1)
    check_a11y(page, "moderation queue")
    shoot(page, "moderation-queue")
    group.get_by_role("textbox", name="Note (optional)").fill("Advertising")
    group.get_by_role("button", name="Hide this contribution").click()
    expect(page.get_by_text("Done for 1 contribution: hide the contribution.")).to_be_visible()
    expect(
        page.locator("article.flag-group").filter(has_text="Reads like an advert.")
    ).to_have_count(0)

    page.goto("/")
    page.get_by_role("link", name=re.compile(RESISTANT)).first.click()
    pick = card_of(page, "Priya Natarajan")
    pick.get_by_role("button", name="Feature").click()
    expect(page.get_by_text("Marked as editor's pick.")).to_be_visible()
    expect(
        card_of(page, "Priya Natarajan").get_by_text("Editor's pick", exact=True)
    ).to_be_visible()
    check_a11y(page, "prompt as a moderator")
    shoot(page, "prompt-moderator")

    page.goto(new_prompt_url)
    lock = page.locator("details.moderation-tools__lock")
    lock.locator("summary").click()
    lock.get_by_label("Reason").fill("Enough answers for now")
    lock.get_by_role("button", name="Lock the prompt").click()
    expect(page.get_by_text("The prompt is locked.")).to_be_visible()
    expect(page.get_by_text("This prompt is locked.", exact=False).first).to_be_visible()

    member.goto(new_prompt_url)
    expect(
        member.get_by_text("This prompt is locked, so it takes no new contributions.")
    ).to_be_visible()
    expect(member.get_by_role("textbox", name="Your experience")).to_have_count(0)
    expect(member.get_by_role("button", name="Post contribution")).to_have_count(0)
    check_a11y(member, "locked prompt")
    shoot(member, "locked-prompt")

    page.goto("/moderation")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    log = page.locator("ol.log-entries")
    for sentence in (
        "wrote the prompt",
        "upheld the flags and hid",
        "featured",
        "locked the prompt",
    ):
        expect(log.locator("li").filter(has_text=sentence).first).to_be_visible()
    expect(log.locator("li").filter(has_text="locked the prompt").first).to_contain_text("maria")
    check_a11y(page, "audit log")
    shoot(page, "audit-log")
