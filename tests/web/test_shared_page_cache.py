"""With FORUM_REDIS_URL, readers' pages are cached in Redis, shared by every worker and app
server: built once per version for all of them, never stale, and a Redis that fails costs only
the building."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import text

from forum import create_app, page_cache
from forum.extensions import cache, db
from forum.services import prompts, versions
from tests.conftest import base_config
from tests.factories import make_contribution, make_moderator, make_prompt, rate_many
from tests.helpers import REDIS_URL, redis_or_skip


@pytest.fixture
def servers(tmp_path):
    """Two app servers (as two gunicorn workers would be) on one database and one Redis."""
    redis_or_skip()
    settings = base_config(
        DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}",
        SEARCH_PATH=str(tmp_path / "search-index"),
        CACHE_TYPE="SimpleCache",  # what production starts from; REDIS_URL moves it to Redis
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"test:{uuid.uuid4().hex}:",
    )
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        db.create_all()
    yield first, second
    for app in (first, second):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def page(app, prompt_id: int, slug: str) -> str:
    response = app.test_client().get(f"/prompts/{prompt_id}/{slug}", follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_page_built_by_one_server_is_served_by_the_other(servers):
    first, second = servers
    with first.app_context():
        prompt = make_prompt(title="Resistant clients")
        prompt_id, slug = prompt.id, prompt.slug
    assert "Resistant clients" in page(first, prompt_id, slug)
    # Behind the versions' back (no service would): the second server still serves the copy
    # the first one built, so it did not build its own.
    with second.app_context():
        db.session.execute(
            text("UPDATE prompts SET title = 'Changed quietly' WHERE id = :id"), {"id": prompt_id}
        )
        db.session.commit()

    assert "Resistant clients" in page(second, prompt_id, slug)


def test_a_strategy_card_kept_by_one_server_shows_a_change_made_on_the_other(servers):
    first, second = servers
    with first.app_context():
        answer = make_contribution(body="Ask what they tried.")
        rate_many(answer, [4])
        answer_id = answer.id
    assert "from 1 rating" in first.test_client().get("/strategies").text

    with second.app_context():
        rate_many(db.session.get(type(answer), answer_id), [5])

    assert "from 2 ratings" in first.test_client().get("/strategies").text
    assert "from 2 ratings" in second.test_client().get("/strategies").text


def test_a_change_shows_at_once_on_every_server(servers):
    first, second = servers
    with first.app_context():
        prompt = make_prompt(title="Resistant clients")
        prompt_id, slug = prompt.id, prompt.slug
    page(first, prompt_id, slug)
    page(second, prompt_id, slug)

    with first.app_context():
        prompts.update_prompt(
            make_moderator(), db.session.get(type(prompt), prompt_id), title="Hesitant clients"
        )

    assert "Hesitant clients" in page(second, prompt_id, slug)
    assert "Hesitant clients" in page(first, prompt_id, slug)


def test_pages_are_served_when_redis_does_not_answer(tmp_path):
    app = create_app(
        base_config(
            DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}",
            SEARCH_PATH=str(tmp_path / "search-index"),
            CACHE_TYPE="SimpleCache",
            REDIS_URL="redis://127.0.0.1:9/0",  # nothing listens there
        )
    )
    with app.app_context():
        db.create_all()
        prompt = make_prompt(title="Resistant clients")
        prompt_id, slug = prompt.id, prompt.slug
        rate_many(make_contribution(prompt=prompt, body="Ask what they tried."), [5])

    assert "Resistant clients" in page(app, prompt_id, slug)
    assert "Resistant clients" in page(app, prompt_id, slug)
    for _ in range(2):  # the strategies' cards, which the page would take from Redis
        strategies = app.test_client().get("/strategies")
        assert strategies.status_code == 200
        assert "Ask what they tried." in strategies.text
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def claimed_page(app) -> tuple[int, str, str]:
    """A new prompt whose page `app` (a server) has claimed to build: (id, slug, the key of
    the page's shared copy at its current version)."""
    with app.app_context():
        prompt = make_prompt(title="Resistant clients")
        version, _ = versions.version_of(prompt.id)
        key = page_cache.Shared("page", prompt.id, prompt.slug, "[]").key(version)
        found = (prompt.id, prompt.slug, key)
    with app.test_request_context():
        assert page_cache.claim(key) is True
    return found


def later(seconds: float, *steps) -> threading.Thread:
    """Run `steps` in another thread after `seconds` (what another server does meanwhile)."""

    def run():
        time.sleep(seconds)
        for step in steps:
            step()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_reader_waits_for_the_copy_another_server_is_building(servers):
    first, second = servers
    prompt_id, slug, key = claimed_page(first)  # the first server starts building the page
    with first.test_request_context():
        assert page_cache.claim(key) is False  # and nobody else may

    def kept():
        with first.app_context():
            cache.set(key, b"<p>The copy the first server built</p>")
            cache.delete(page_cache.CLAIM + key)

    finishing = later(0.2, kept)
    body = page(second, prompt_id, slug)
    finishing.join()
    # The second server answered the first one's copy: it did not build the page alongside.
    assert body == "<p>The copy the first server built</p>"


def test_a_builder_that_keeps_no_copy_lets_the_waiting_reader_build_it(servers):
    first, second = servers
    second.config["PAGE_BUILD_WAIT"] = 60.0
    prompt_id, slug, key = claimed_page(first)

    def given_up():
        with first.app_context():
            cache.delete(page_cache.CLAIM + key)

    giving_up = later(0.2, given_up)
    assert "Resistant clients" in page(second, prompt_id, slug)
    giving_up.join()
    with second.app_context():
        assert b"Resistant clients" in cache.get(key)  # built and kept by the reader
        assert not cache.has(page_cache.CLAIM + key)  # and its own claim let go


def test_a_builder_that_never_finishes_holds_readers_only_for_the_wait(servers):
    first, second = servers
    second.config["PAGE_BUILD_WAIT"] = 0.2
    # The first server claims the page and never keeps it nor lets go (a worker that died).
    prompt_id, slug, key = claimed_page(first)

    assert "Resistant clients" in page(second, prompt_id, slug)
    assert "Resistant clients" in page(second, prompt_id, slug)
