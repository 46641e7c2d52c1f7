"""The transactional outbox (docs/architecture.md, "Search"): index changes ride on the database's
transaction, so a rollback leaves no trace and a crash after commit loses nothing. The tests of
what an edit changes in the results run against each engine."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from forum import create_app
from forum.extensions import db
from forum.models import Contribution
from forum.queue import queue_of
from forum.ranking import usefulness_unit
from forum.search import documents, get_engine, maintenance
from forum.search.query import parse
from forum.search.whoosh.engine import WhooshEngine
from forum.services import contributions, outcomes, prompts, ratings, versions
from tests.conftest import base_config
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
    rate_many,
)
from tests.helpers import outbox_rows
from tests.search.helpers import contribution_ids, found, indexed_keys, search

ROOT = Path(__file__).resolve().parents[2]


def stored_usefulness(key: str) -> float:
    return get_engine().stored_state()[key]


def waiting_in_outbox(database: Path) -> int:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT count(*) FROM search_outbox").fetchone()[0]


@pytest.mark.whoosh_only
def test_a_rolled_back_change_leaves_no_outbox_row_and_no_trace_in_the_index(client, app):
    prompt = make_prompt(title="Rollbacks")
    author = make_user()
    contribution = Contribution(
        prompt_id=prompt.id,
        author_id=author.id,
        author_name=author.display_name,
        body="Kaizen, never committed.",
        body_html="<p>Kaizen, never committed.</p>",
    )
    db.session.add(contribution)
    db.session.flush()
    assert outbox_rows() == 1  # recorded inside the transaction...

    db.session.rollback()

    assert outbox_rows() == 0  # ...and gone with it
    assert indexed_keys("kaizen") == set()
    assert search(client, "kaizen")["items"] == []


@pytest.mark.whoosh_only
def test_every_committed_change_is_applied_and_its_outbox_rows_deleted(client, app):
    answer = make_contribution(body="Kaizen, committed.")

    assert outbox_rows() == 0
    assert indexed_keys("kaizen") == {f"c:{answer.id}"}


@pytest.mark.whoosh_only
def test_a_rating_updates_the_usefulness_stored_in_the_index(client, app):
    answer = make_contribution(body="Accountability partners.")
    key = f"c:{answer.id}"
    before = stored_usefulness(key)

    rate_many(answer, [5, 5, 4])

    db.session.refresh(answer)
    assert stored_usefulness(key) == pytest.approx(usefulness_unit(answer.score))
    assert stored_usefulness(key) > before
    prompt_u = documents.prompt_usefulness([answer.prompt_id])[answer.prompt_id]
    assert stored_usefulness(f"p:{answer.prompt_id}") == pytest.approx(prompt_u)
    assert maintenance.check().stale == []


@pytest.mark.whoosh_only
def test_a_rating_leaves_the_index_write_to_the_worker_and_a_search_still_sees_it(
    client_with, tmp_path, monkeypatch
):
    """A rating does not wait for the index: the usefulness it moved is applied by a task the
    worker runs; a search that comes first applies it itself, so nobody reads a stale order."""
    client = client_with(QUEUE_IMMEDIATE=False, QUEUE_PATH=str(tmp_path / "queue.db"))
    queue = queue_of(client.application)
    answer = make_contribution(body="Accountability partners.")
    key = f"c:{answer.id}"
    before = stored_usefulness(key)
    applied = []
    original = WhooshEngine.apply
    monkeypatch.setattr(
        WhooshEngine,
        "apply",
        lambda self, docs, gone: applied.append(docs) or original(self, docs, gone),
    )

    ratings.rate(make_user(), answer, 5)

    assert applied == [] and outbox_rows() > 0  # the request wrote no index
    queue.run_pending()  # the worker runs what was queued
    assert outbox_rows() == 0 and stored_usefulness(key) > before

    ratings.rate(make_user(), answer, 1)
    assert outbox_rows() > 0
    (hit,) = [h for h in search(client, "accountability")["items"] if h["id"] == answer.id]
    db.session.refresh(answer)
    assert hit["explain"]["usefulness"] == pytest.approx(usefulness_unit(answer.score), abs=0.01)
    assert outbox_rows() == 0


@pytest.mark.whoosh_only
def test_removing_a_rating_updates_the_stored_usefulness_too(client, app):
    answer = make_contribution(body="Accountability partners.")
    rater = make_user()
    unrated = stored_usefulness(f"c:{answer.id}")
    ratings.rate(rater, answer, 5)

    ratings.unrate(rater, answer)

    assert stored_usefulness(f"c:{answer.id}") == pytest.approx(unrated)


@pytest.mark.whoosh_only
def test_an_outcome_moves_the_page_but_rewrites_nothing_in_the_index(client, app, monkeypatch):
    """The index holds no outcome counter: a member's report changes the prompt's page (its
    version moves, so no cached copy is stale) and leaves the index alone (no write in the
    request that reports it)."""
    answer = make_contribution(body="Accountability partners.")
    applied = []
    monkeypatch.setattr(WhooshEngine, "apply", lambda self, docs, removed: applied.append(docs))
    before = versions.version_of(answer.prompt_id)

    outcomes.report(make_user(), answer, "worked", "group")

    assert versions.version_of(answer.prompt_id) != before
    assert applied == [] and outbox_rows() == 0


def test_editing_a_body_changes_what_the_contribution_is_found_by(client, app):
    answer = make_contribution(body="Mirroring the client's words.")
    assert contribution_ids(search(client, "mirroring")) == [answer.id]

    contributions.edit_contribution(answer.author, answer, "Silence after a question. #pause")

    assert contribution_ids(search(client, "silence")) == [answer.id]
    assert search(client, "mirroring")["items"] == []
    assert search(client, "", tag="pause")["total"] == 1


def test_editing_a_prompt_moves_its_contributions_to_its_new_topic_tags_and_title(client, app):
    new = make_topic(slug="new-topic")
    moderator = make_moderator()
    prompt = make_prompt(
        topic=make_topic(slug="old-topic"), author=moderator, title="Onboarding", tags=("before",)
    )
    answer = make_contribution(prompt=prompt, body="A buddy for the first week.")
    moved = {("prompt", prompt.id), ("contribution", answer.id)}

    prompts.update_prompt(moderator, prompt, topic=new.slug, title="Induction", tags=["after"])

    assert found(client, "", topic="new-topic") == moved
    assert found(client, "", tag="after") == moved
    assert found(client, "induction") == moved
    assert found(client, "", topic="old-topic") == set()
    assert found(client, "", tag="before") == set()
    assert found(client, "onboarding") == set()


CRASH_AFTER_COMMIT = textwrap.dedent(
    """
    import os, sys
    from forum import create_app
    from forum.extensions import db
    from forum.search.whoosh import outbox
    from tests.conftest import base_config
    from tests.factories import make_contribution, make_prompt

    app = create_app(base_config(DATABASE_URL=sys.argv[1], SEARCH_PATH=sys.argv[2]))
    with app.app_context():
        db.create_all()
        prompt = make_prompt(title="Crash course")
        # The process dies after the commit, before anything reaches the index.
        outbox.drain = lambda *args, **kwargs: os._exit(17)
        make_contribution(prompt=prompt, body="Kintsugi: mend what broke, and show it.")
    sys.exit("the drain after commit never ran")
    """
)


def test_a_crash_between_commit_and_indexing_loses_nothing_once_the_app_runs_again(tmp_path):
    settings = base_config(
        DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}",
        SEARCH_PATH=str(tmp_path / "index"),
    )
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            CRASH_AFTER_COMMIT,
            settings["DATABASE_URL"],
            settings["SEARCH_PATH"],
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode == 17, crashed.stderr
    assert waiting_in_outbox(tmp_path / "forum.db") == 1
    assert WhooshEngine(settings["SEARCH_PATH"]).search(parse("kintsugi"), 10) == []

    app = create_app(settings)  # start-up drains the outbox

    with app.app_context():
        found = app.test_client().get("/api/v1/search?q=kintsugi").get_json()
        assert [(i["type"], i["title"]) for i in found["items"]] == [
            ("contribution", "Crash course")
        ]
        assert outbox_rows() == 0
        get_engine().close()
        db.engine.dispose()
