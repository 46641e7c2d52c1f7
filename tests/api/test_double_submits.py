"""A rating sent twice at the same moment (a double click, a retried request) is saved once.

Each pair of identical requests comes from one member through two threads, each with a test
client of its own, on a database every thread reaches (a SQLite file, or the PostgreSQL schema of
the run): both answer 200, and the counters count the member once.
"""

from __future__ import annotations

import threading

import pytest

from forum import create_app
from forum.extensions import db
from forum.models import Contribution, Prompt
from tests.api.helpers import API
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_contribution, make_prompt, make_user, token_for

PAIRS = 10


@pytest.fixture
def shared_app(app, tmp_path):
    """An app whose database the threads share: the PostgreSQL schema, or a SQLite file (an
    in-memory SQLite database is one connection, which cannot show a race)."""
    if POSTGRES_URL:
        yield app
        return
    shared = create_app(
        base_config(
            DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}",
            SEARCH_PATH=str(tmp_path / "search-index"),
            SERVER_NAME="forum.test",
        )
    )
    shared.test_client_class = app.test_client_class
    with shared.app_context():
        db.create_all()
        yield shared
        db.session.remove()
        db.engine.dispose()


def send_twice_at_once(app, path: str, body: dict, token: str) -> list[int]:
    """The same PUT from two threads released together; the statuses they got."""
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def send():
        client = app.test_client()
        barrier.wait()
        response = client.put(path, json=body, headers={"Authorization": f"Bearer {token}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_a_first_rating_sent_twice_at_once_answers_200_twice_and_counts_once(shared_app):
    contribution = make_contribution()
    scores = [(n % 5) + 1 for n in range(PAIRS)]
    statuses = []
    for score in scores:
        token = token_for(make_user())
        path = f"{API}/contributions/{contribution.id}/rating"
        statuses += send_twice_at_once(shared_app, path, {"score": score}, token)

    assert statuses == [200] * (2 * PAIRS)
    db.session.expire_all()
    row = db.session.get(Contribution, contribution.id)
    assert row.histogram == [scores.count(level) for level in range(1, 6)]
    assert (row.rating_count, row.rating_sum) == (PAIRS, sum(scores))


def test_a_first_helpful_vote_sent_twice_at_once_answers_200_twice_and_counts_once(shared_app):
    prompt = make_prompt()
    votes = [n % 3 != 0 for n in range(PAIRS)]
    statuses = []
    for helpful in votes:
        token = token_for(make_user())
        path = f"{API}/prompts/{prompt.id}/rating"
        statuses += send_twice_at_once(shared_app, path, {"helpful": helpful}, token)

    assert statuses == [200] * (2 * PAIRS)
    db.session.expire_all()
    row = db.session.get(Prompt, prompt.id)
    assert (row.helpful_yes, row.helpful_no) == (votes.count(True), votes.count(False))


def test_a_changed_rating_sent_twice_at_once_moves_the_member_to_the_new_score_once(shared_app):
    contribution = make_contribution()
    statuses = []
    for _pair in range(PAIRS):
        token = token_for(make_user())
        path = f"{API}/contributions/{contribution.id}/rating"
        shared_app.test_client().put(
            path, json={"score": 1}, headers={"Authorization": f"Bearer {token}"}
        )
        statuses += send_twice_at_once(shared_app, path, {"score": 4}, token)

    assert statuses == [200] * (2 * PAIRS)
    db.session.expire_all()
    row = db.session.get(Contribution, contribution.id)
    assert row.histogram == [0, 0, 0, PAIRS, 0]
    assert (row.rating_count, row.rating_sum) == (PAIRS, 4 * PAIRS)
