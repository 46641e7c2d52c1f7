"""Browser journeys: the app under gunicorn on a loopback port, driven by Debian's Chromium.

The demo community is seeded into a SQLite file in a temporary folder, once per run. Without
/usr/bin/chromium or the playwright package every e2e test is skipped, with the reason.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from tests.servers import gunicorn

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Keep the browser off the network: no updates, sync, QUIC or background fetches.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS: dict[str, Path] = {}


@pytest.fixture(scope="session")
def e2e_ready() -> None:
    """Skip, with the reason, where no browser can run."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"e2e: no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        pytest.skip(f"e2e: {error.name} is not installed (pip install -e '.[test]')")


def _prepare_database(settings: dict) -> None:
    """Run the migrations and seed the demo community, as `make run` does."""
    from flask_migrate import upgrade

    from forum import create_app, demo
    from forum.extensions import db
    from forum.services import accounts

    app = create_app(settings)
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        # Cheap hashes for the seed; logging in reads the method from the stored hash.
        cheap = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")
        patch.setattr(accounts, "generate_password_hash", cheap)
        upgrade(directory=str(ROOT / "migrations"))
        demo.seed()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(e2e_ready, tmp_path_factory) -> Iterator[str]:
    """The base URL of the app under gunicorn (2 workers), on the seeded demo community."""
    folder = tmp_path_factory.mktemp("e2e-site")
    env = {
        "FORUM_DATABASE_URL": f"sqlite:///{folder / 'forum.db'}",
        "FORUM_SEARCH_PATH": str(folder / "search-index"),
        "FORUM_RATELIMIT_ENABLED": "false",
        "FORUM_SECRET_KEY": "e2e-secret-key-for-this-run-only",
        # The seed's digest and queued work stay in this run's folder, not the instance folder.
        "FORUM_MAIL_DIR": str(folder / "mail"),
        "FORUM_QUEUE_PATH": str(folder / "queue.db"),
    }
    _prepare_database(
        {
            "DATABASE_URL": env["FORUM_DATABASE_URL"],
            "SEARCH_PATH": env["FORUM_SEARCH_PATH"],
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": env["FORUM_SECRET_KEY"],
            "MAIL_DIR": env["FORUM_MAIL_DIR"],
            "QUEUE_PATH": env["FORUM_QUEUE_PATH"],
        }
    )
    with gunicorn(env, folder / "gunicorn.log") as server:
        yield server.url


@pytest.fixture(scope="session")
def browser(e2e_ready):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): `new_page(javascript=False)`."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    contexts = []

    def open_page(*, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server, viewport=DESKTOP, java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("e2e-screenshots")
    SHOTS["dir"] = folder
    return folder


@pytest.fixture
def shoot(screenshot_dir, request):
    """Save the page at desktop and phone sizes: shoot(page, "home")."""
    print(f"screenshots: {screenshot_dir}")
    prefix = re.sub(r"\W+", "-", request.node.name.removeprefix("test_"))[:40]

    def take(page, name: str) -> None:
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            path = screenshot_dir / f"{prefix}--{name}--{label}.png"
            page.screenshot(path=path, full_page=True)
            # The page never scrolls sideways: wide content scrolls inside its own box.
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} is {overflow}px too wide at {label} size: {path}"
        page.set_viewport_size(DESKTOP)

    return take


@pytest.fixture
def check_a11y():
    """Run axe-core on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str) -> None:
        results = axe.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:6])
            for v in bad
        ]
        lesser = sorted({f"{v['id']} ({v['impact']})" for v in results.response["violations"]})
        print(f"axe {label}: {len(bad)} serious/critical; lesser: {', '.join(lesser) or 'none'}")
        assert not bad, f"axe on {label} ({page.url}):\n" + "\n".join(details)

    return check


DEMO_PASSWORD = "demo-password"  # noqa: S105 (the published demo accounts)


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form, as a person does, and wait for the welcome."""
    from playwright.sync_api import expect

    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()


def card_of(page, author: str):
    """The contribution card whose heading is the author's name (on a prompt page)."""
    return page.locator("article.contribution").filter(
        has=page.get_by_role("heading", name=author, exact=True)
    )


def pytest_terminal_summary(terminalreporter) -> None:
    if "dir" in SHOTS:
        terminalreporter.write_line(f"e2e screenshots: {SHOTS['dir']}")
