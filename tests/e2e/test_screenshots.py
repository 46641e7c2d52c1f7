"""Screenshots of the main pages as a reader, a member and a moderator see them, at desktop and
phone sizes: into the run's screenshot folder, or, with FORUM_SCREENSHOTS_DIR set (see
`make screenshots`), into that folder for the README (viewport-sized PNGs, small enough to
keep in the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.e2e

RESISTANT = "Dealing with a resistant client in coaching sessions"
SIZES = (("desktop", DESKTOP), ("phone", PHONE))


@pytest.fixture
def folder(screenshot_dir) -> Path:
    chosen = os.environ.get("FORUM_SCREENSHOTS_DIR")
    if not chosen:
        return screenshot_dir
    path = Path(chosen)
    path.mkdir(parents=True, exist_ok=True)
    return path


def photograph(page, folder: Path, name: str, address: str, scheme: str = "light") -> None:
    """The page at `address`, as it first appears (the viewport) at each size, in the light or
    dark colour scheme."""
    page.emulate_media(color_scheme=scheme)
    for label, size in SIZES:
        page.set_viewport_size(size)
        page.goto(address)
        page.wait_for_load_state("load")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} is {overflow}px too wide at {label} size"
        path = folder / f"{name}-{label}.png"
        page.screenshot(path=path, full_page=False, animations="disabled", caret="hide")
        assert path.stat().st_size < 400_000, f"{path} is too big for the docs"


def prompt_address(page) -> str:
    from playwright.sync_api import expect

    page.goto("/topics/life-coaching")
    page.get_by_role("link", name=RESISTANT).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(RESISTANT)
    return page.url


def test_screenshots_of_what_a_reader_sees(new_page, folder):
    page = new_page()
    photograph(page, folder, "home", "/")
    address = prompt_address(page)
    photograph(page, folder, "prompt-reader", address)
    photograph(page, folder, "prompt-dark", address, scheme="dark")
    photograph(page, folder, "search", "/search?q=momentum")
    photograph(page, folder, "strategies", "/strategies")


def test_screenshots_of_what_a_member_sees(new_page, folder):
    page = new_page()
    log_in(page, "kofi")
    photograph(page, folder, "prompt-member", prompt_address(page))


def test_screenshots_of_what_a_moderator_sees(new_page, folder):
    page = new_page()
    log_in(page, "maria")
    photograph(page, folder, "prompt-moderator", prompt_address(page))
    photograph(page, folder, "moderation-queue", "/moderation")
    photograph(page, folder, "audit-log", "/moderation/log")
