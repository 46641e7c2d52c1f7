"""Ratings: one per member per contribution, changeable, removable, never lost under concurrency."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.extensions import db
from forum.models import Contribution, Rating, User
from forum.ranking import usefulness_score
from forum.services import ratings
from forum.services.errors import Forbidden, Invalid, NotFound
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_contribution, make_moderator, make_user


def _reread(contribution_id: int) -> Contribution:
    db.session.expire_all()
    return db.session.get(Contribution, contribution_id)


def test_a_rating_updates_histogram_count_sum_and_score(app):
    contribution = make_contribution()
    rated = ratings.rate(make_user(), contribution, 5)
    assert (rated.rating_count, rated.average, rated.histogram) == (1, 5.0, [0, 0, 0, 0, 1])
    assert rated.score == pytest.approx(2.404, abs=0.0005)
    row = _reread(contribution.id)
    assert (row.rating_count, row.rating_sum, row.histogram) == (1, 5, [0, 0, 0, 0, 1])
    assert row.score == pytest.approx(2.404, abs=0.0005)


def test_changing_a_rating_moves_it_between_buckets_without_counting_twice(app):
    contribution, rater = make_contribution(), make_user()
    ratings.rate(rater, contribution, 2)
    ratings.rate(rater, contribution, 4)
    row = _reread(contribution.id)
    assert row.histogram == [0, 0, 0, 1, 0]
    assert (row.rating_count, row.rating_sum) == (1, 4)
    assert db.session.scalar(select(func.count(Rating.id))) == 1


def test_removing_a_rating_returns_the_contribution_to_unrated(app):
    contribution, rater = make_contribution(), make_user()
    ratings.rate(rater, contribution, 3)
    ratings.unrate(rater, contribution)
    row = _reread(contribution.id)
    assert (row.rating_count, row.histogram) == (0, [0, 0, 0, 0, 0])
    assert row.score == pytest.approx(usefulness_score((0, 0, 0, 0, 0)))


def test_nobody_rates_their_own_contribution(app):
    author = make_user()
    contribution = make_contribution(author=author)
    with pytest.raises(Forbidden, match="own"):
        ratings.rate(author, contribution, 5)
    assert _reread(contribution.id).rating_count == 0


@pytest.mark.parametrize("score", [0, 6, -1, 2.5, "5", True, None])
def test_a_score_is_a_whole_number_from_one_to_five(app, score):
    contribution = make_contribution()
    with pytest.raises(Invalid):
        ratings.rate(make_user(), contribution, score)


def test_a_hidden_contribution_cannot_be_rated(app):
    contribution = make_contribution()
    from forum.services import moderation

    moderation.hide(make_moderator(), contribution, "spam")
    with pytest.raises(NotFound):
        ratings.rate(make_user(), contribution, 4)


RATERS = 24


def _rate_in_own_session(app, user_id: int, contribution_id: int, score: int, errors: list):
    try:
        with app.app_context():
            user = db.session.get(User, user_id)
            ratings.rate(user, db.session.get(Contribution, contribution_id), score)
            db.session.remove()
    except Exception as error:  # noqa: BLE001 - reported to the main thread below
        errors.append(error)


@pytest.fixture
def file_app(tmp_path, app):
    """An app on a database file (or the PostgreSQL schema) shared by threads and processes."""
    if POSTGRES_URL:
        yield app
        return
    shared = create_app(
        base_config(
            DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}", SEARCH_PATH=str(tmp_path / "index")
        )
    )
    with shared.app_context():
        db.create_all()
        yield shared
        db.session.remove()
        db.engine.dispose()


def _setup_raters(count: int):
    contribution = make_contribution()
    users = [make_user().id for _ in range(count)]
    return contribution.id, users


def _expected(scores):
    histogram = [0] * 5
    for score in scores:
        histogram[score - 1] += 1
    return histogram


def test_concurrent_ratings_from_many_threads_lose_no_update(file_app):
    contribution_id, users = _setup_raters(RATERS)
    scores = [(i % 5) + 1 for i in range(RATERS)]
    errors: list = []
    threads = [
        threading.Thread(
            target=_rate_in_own_session, args=(file_app, uid, contribution_id, score, errors)
        )
        for uid, score in zip(users, scores, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    row = _reread(contribution_id)
    assert row.histogram == _expected(scores)
    assert (row.rating_count, row.rating_sum) == (RATERS, sum(scores))
    assert row.score == pytest.approx(usefulness_score(_expected(scores)))


def _process_worker(config: dict, pairs, contribution_id: int, queue) -> None:
    app = create_app(config)
    errors: list = []
    for user_id, score in pairs:
        _rate_in_own_session(app, user_id, contribution_id, score, errors)
    queue.put([repr(e) for e in errors])


@pytest.mark.skipif(bool(POSTGRES_URL), reason="the thread test covers PostgreSQL; this is SQLite")
def test_concurrent_ratings_from_several_processes_lose_no_update(file_app):
    contribution_id, users = _setup_raters(RATERS)
    # Everyone rates 1 first, then changes to 5: each change must move one rating between buckets.
    config = base_config(
        DATABASE_URL=file_app.config["SQLALCHEMY_DATABASE_URI"],
        SEARCH_PATH=file_app.config["SEARCH_PATH"],
    )
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    chunks = [users[i::4] for i in range(4)]
    for score in (1, 5):
        workers = [
            context.Process(
                target=_process_worker,
                args=(config, [(u, score) for u in chunk], contribution_id, queue),
            )
            for chunk in chunks
        ]
        for worker in workers:
            worker.start()
        reported = [queue.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join(timeout=120)
        assert reported == [[]] * len(workers)
    row = _reread(contribution_id)
    assert row.histogram == [0, 0, 0, 0, RATERS]
    assert (row.rating_count, row.rating_sum) == (RATERS, 5 * RATERS)
