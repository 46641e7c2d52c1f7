"""With FORUM_REDIS_URL, readers' pages are cached in Redis, shared by every worker and app
server: built once per version for all of them, never stale, and a Redis that fails costs only
the building."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from forum import create_app
from forum.extensions import db
from forum.services import prompts
from tests.conftest import base_config
from tests.factories import make_moderator, make_prompt
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

    assert "Resistant clients" in page(app, prompt_id, slug)
    assert "Resistant clients" in page(app, prompt_id, slug)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
