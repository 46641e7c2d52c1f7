"""Related reading is kept in the database between readers: served as found while it is
current, found again when the prompt is edited, when a prompt it lists is gone, and once it is
due; a busy database never holds a reader's page up."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import delete, update

from forum import create_app
from forum.extensions import db
from forum.models import Prompt, RelatedReading
from forum.models.types import utcnow
from forum.services import prompts as prompt_service
from forum.services import related
from tests.conftest import base_config
from tests.factories import make_moderator, make_prompt, make_topic


def prompt_about(topic, title: str, intro: str = ""):
    return make_prompt(topic=topic, title=title, intro=intro, key_points=((title, ""),), tags=())


def related_ids(client, prompt) -> list[int]:
    prompt_id = prompt if isinstance(prompt, int) else prompt.id
    response = client.get(f"/api/v1/prompts/{prompt_id}/related")
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


@pytest.fixture
def garden(app):
    """A prompt about compost, one alike, and one about something else entirely."""
    topic = make_topic()
    target = prompt_about(topic, "Compost heaps in winter", "Turning compost heaps keeps warmth.")
    alike = prompt_about(topic, "Compost heaps that smell", "Compost heaps need turning and air.")
    other = prompt_about(topic, "Pruning roses", "Cut roses back above an outward bud.")
    return topic, target, alike, other


def test_the_list_found_for_one_reader_is_what_the_next_reader_gets(client, garden):
    _, target, alike, _ = garden
    first = related_ids(client, target)

    # Another prompt just as alike comes later: the kept list stays as it was until it is due.
    later = prompt_about(garden[0], "Compost heaps in winter too", "Turning compost heaps warm.")

    assert first[0] == alike.id
    assert related_ids(client, target) == first
    assert later.id not in first


def test_a_kept_list_is_found_again_once_it_is_due(client, app, garden):
    topic, target, _, _ = garden
    related_ids(client, target)
    later = prompt_about(topic, "Compost heaps in winter, again", "Turning compost heaps warm.")
    due = timedelta(seconds=app.config["RELATED_REFRESH_SECONDS"] + 60)
    db.session.execute(
        update(RelatedReading)
        .where(RelatedReading.prompt_id == target.id)
        .values(found_at=utcnow() - due)
    )
    db.session.commit()

    assert related_ids(client, target)[0] == later.id


def test_editing_a_prompt_finds_its_related_reading_again(client, garden):
    _, target, alike, other = garden
    assert related_ids(client, target)[0] == alike.id

    prompt_service.update_prompt(
        make_moderator(), target, title="Pruning climbing roses", intro="Cut roses back hard."
    )

    assert related_ids(client, target)[0] == other.id


def test_a_prompt_gone_from_the_forum_leaves_the_lists_that_named_it(client, garden):
    _, target, alike, other = garden
    assert alike.id in related_ids(client, target)

    db.session.execute(delete(Prompt).where(Prompt.id == alike.id))
    db.session.commit()

    ids = related_ids(client, target)
    assert alike.id not in ids
    assert other.id in ids  # the list is filled again from the prompts that remain


def test_the_prompt_page_shows_the_kept_list(client, garden):
    _, target, alike, _ = garden
    kept = related_ids(client, target)

    page = client.get(f"/prompts/{target.id}/{target.slug}").get_data(as_text=True)

    section = page[page.index('id="related-heading"') :]
    assert f"/prompts/{alike.id}/" in section
    assert db.session.get(RelatedReading, target.id).prompt_ids == ",".join(map(str, kept))


def test_a_busy_database_does_not_hold_the_page_up(tmp_path):
    """Keeping the list waits a moment for SQLite's write lock, then gives up: the reader gets
    the page, and the next reader finds the list again."""
    path = tmp_path / "forum.db"
    index = tmp_path / "search-index"
    app = create_app(base_config(DATABASE_URL=f"sqlite:///{path}", SEARCH_PATH=str(index)))
    with app.app_context():
        db.create_all()
        topic = make_topic()
        target = prompt_about(topic, "Compost heaps in winter", "Turning compost heaps.")
        prompt_about(topic, "Compost heaps that smell", "Compost heaps need air.")
        writer = sqlite3.connect(path, timeout=0)
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            response = app.test_client().get(f"/prompts/{target.id}/{target.slug}")
            assert response.status_code == 200
            assert db.session.get(RelatedReading, target.id) is None
        finally:
            writer.rollback()
            writer.close()
        assert related.keep(target.id, [1, 2]) is True
        db.session.remove()
        db.engine.dispose()


def test_search_related_finds_every_prompts_list_ahead_of_readers(app, client, garden, monkeypatch):
    target, alike, other = (prompt.id for prompt in garden[1:])

    result = app.test_cli_runner().invoke(args=["search", "related"])

    assert result.exit_code == 0, result.output
    assert "Related reading found for 3 prompts" in result.output
    # Readers now get the kept lists: the engine is not asked again.
    monkeypatch.setattr(related, "similar_prompts", lambda *args: pytest.fail("searched again"))
    assert related_ids(client, target)[0] == alike
    assert related_ids(client, other)  # every prompt has its list


def test_a_prompt_alone_in_its_topic_gets_related_reading_once_another_prompt_comes(client):
    topic = make_topic()
    alone = prompt_about(topic, "Compost heaps in winter", "Turning compost heaps keeps warmth.")
    assert related_ids(client, alone) == []

    later = prompt_about(topic, "Compost heaps that smell", "Compost heaps need turning and air.")

    assert related_ids(client, alone) == [later.id]
