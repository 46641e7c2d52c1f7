"""The look, in a real browser at 1280 and 390 pixels: a prompt's main column with its rail
beside it (under it on a phone), members' initials avatars that screen readers pass over, a
dark scheme for readers who ask for one, and caching headers as gunicorn sends them."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, card_of

pytestmark = pytest.mark.e2e

RESISTANT = "Dealing with a resistant client in coaching sessions"


def open_prompt(page) -> None:
    from playwright.sync_api import expect

    page.goto("/topics/life-coaching")
    page.get_by_role("link", name=re.compile(RESISTANT)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(RESISTANT)


def no_sideways_scroll(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def test_the_prompt_page_has_a_rail_beside_the_main_column_and_under_it_on_a_phone(
    new_page, check_a11y
):
    from playwright.sync_api import expect

    page = new_page()
    open_prompt(page)
    main = page.locator(".with-rail__main")
    rail = page.get_by_role("complementary", name="About this prompt")
    expect(rail.get_by_role("heading", name="Key points")).to_be_visible()
    expect(rail.get_by_role("heading", name="Who contributed")).to_be_visible()
    expect(rail.get_by_role("link", name="Sam Rivera")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    m, r = main.bounding_box(), rail.bounding_box()
    assert r["x"] >= m["x"] + m["width"], "the rail sits to the right of the main column"
    assert abs(r["y"] - m["y"]) < 2, "and starts level with it"
    assert m["width"] > 700 and r["width"] > 250
    # The page uses the width: the content spans most of a 1280 px screen, centred.
    assert m["x"] > 40 and (r["x"] + r["width"]) > 1280 - 100 - 40
    assert no_sideways_scroll(page) <= 0
    check_a11y(page, "prompt with its rail, desktop")

    page.set_viewport_size(PHONE)
    m, r = main.bounding_box(), rail.bounding_box()
    assert r["y"] >= m["y"] + m["height"], "the rail goes under the main column"
    assert abs(r["x"] - m["x"]) < 2 and abs(r["width"] - m["width"]) < 2
    assert no_sideways_scroll(page) <= 0
    check_a11y(page, "prompt with its rail, phone")


def test_avatars_show_initials_beside_names_and_are_hidden_from_screen_readers(
    new_page, check_a11y
):
    from playwright.sync_api import expect

    page = new_page()
    open_prompt(page)
    card = card_of(page, "Sam Rivera")
    face = card.locator(".avatar")
    expect(face).to_have_text("SR")
    expect(face).to_have_attribute("aria-hidden", "true")
    expect(face).to_be_visible()
    # The name is the heading's whole accessible name; the initials add nothing to it.
    expect(card.get_by_role("heading", name="Sam Rivera", exact=True)).to_be_visible()
    rail = page.get_by_role("complementary", name="About this prompt")
    in_rail = rail.locator(".contributor").filter(has=page.get_by_role("link", name="Sam Rivera"))
    expect(in_rail.locator(".avatar")).to_have_text("SR")
    # The same member has the same colour on the card and in the rail.
    assert (
        face.get_attribute("class").split()[1]
        == (in_rail.locator(".avatar").get_attribute("class").split()[1])
    )
    hidden = page.evaluate(
        "() => [...document.querySelectorAll('.avatar')].every("
        "a => a.getAttribute('aria-hidden') === 'true')"
    )
    assert hidden and page.locator(".avatar").count() >= 5

    page.get_by_role("link", name="Sam Rivera").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Rivera")
    expect(page.locator(".profile__name .avatar")).to_have_text("SR")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert no_sideways_scroll(page) <= 0
        check_a11y(page, f"profile with its avatar at {size['width']} px")


def test_dark_mode_follows_the_readers_setting_and_stays_accessible(new_page, check_a11y):
    from playwright.sync_api import expect

    page = new_page()
    page.emulate_media(color_scheme="light")
    open_prompt(page)
    light = background(page)
    page.emulate_media(color_scheme="dark")
    dark = background(page)
    assert dark != light
    red, green, blue = (int(n) for n in re.findall(r"\d+", dark)[:3])
    assert red + green + blue < 120, f"a dark background, not {dark}"
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert no_sideways_scroll(page) <= 0
        check_a11y(page, f"prompt in dark mode at {size['width']} px")
    page.goto("/")
    expect(page.get_by_role("complementary", name="Topics and about Commonplace")).to_be_visible()
    check_a11y(page, "home in dark mode")
    page.goto("/search?q=momentum")
    check_a11y(page, "search in dark mode")


def test_links_are_not_underlined_outside_prose_until_hovered(new_page):
    page = new_page()
    open_prompt(page)
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Strategies")
    assert "underline" not in link.evaluate("a => getComputedStyle(a).textDecorationLine")
    link.hover()
    assert "underline" in link.evaluate("a => getComputedStyle(a).textDecorationLine")


def _get(url: str, headers: dict | None = None):
    call = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(call, timeout=10) as answer:  # noqa: S310
            answer.read()
            return answer.status, answer.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_a_cached_page_has_one_date_and_says_how_it_may_be_cached(new_page, live_server):
    page = new_page()
    open_prompt(page)
    url = page.url
    for _ in range(2):  # the second answer is the copy kept for readers
        status, headers = _get(url)
        assert status == 200
        assert len(headers.get_all("Date")) == 1
        assert headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    status, again = _get(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and len(again.get_all("Date")) == 1
    status, stale = _get(url, {"If-None-Match": '"an-older-version"'})
    assert status == 200 and len(stale.get_all("Date")) == 1
    listing = url.split("?")[0].replace("/prompts/", "/api/v1/prompts/")
    listing = re.sub(r"(/api/v1/prompts/\d+)/.*", r"\1/contributions", listing)
    status, api = _get(listing)
    assert status == 200 and api["ETag"]
    assert api["Cache-Control"] == "public, max-age=0, must-revalidate"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_moderators_pages_are_accessible_in_both_schemes_at_both_sizes(
    new_page, check_a11y, scheme
):
    from tests.e2e.conftest import log_in

    page = new_page()
    log_in(page, "maria")
    page.emulate_media(color_scheme=scheme)
    for address in (
        "/moderation",
        "/moderation/log",
        "/strategies",
        "/topics/life-coaching",
        "/prompts/new",
        "/settings",
        "/u/maria",
    ):
        page.goto(address)
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            assert no_sideways_scroll(page) <= 0, f"{address} scrolls sideways at {size}"
            check_a11y(page, f"{address} ({scheme}, {size['width']} px)")
