"""The worker's delivery: safe to run twice, after a crash, and in several workers at once; one
INSERT ... SELECT per kind of recipient, so a large audience is one statement."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum import create_app
from forum.extensions import db
from forum.models import Notification, NotificationEvent, Subscription
from forum.models.types import utcnow
from forum.services import delivery
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_contribution, make_prompt, make_user
from tests.helpers import statements_during


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _watched_prompt(watchers: int):
    prompt = make_prompt()
    for _ in range(watchers):
        db.session.add(
            Subscription(user_id=make_user().id, target_type="prompt", target_id=prompt.id)
        )
    db.session.commit()
    return prompt


def test_delivering_twice_notifies_once(app):
    prompt = _watched_prompt(3)
    make_contribution(prompt=prompt)
    first = delivery.deliver_pending()
    second = delivery.deliver_pending()
    assert (first.events, first.notifications) == (1, 4)  # three watchers and the prompt's author
    assert (second.events, second.notifications) == (0, 0)
    assert _count(Notification) == 4


def test_an_event_claimed_by_a_worker_that_died_is_delivered_once_after_the_lease(app):
    prompt = _watched_prompt(2)
    make_contribution(prompt=prompt)
    # A worker claimed the event, wrote its notifications and died before marking it delivered.
    claimed = delivery._claim(10, delivery.LEASE)
    assert len(claimed) == 1
    for statement, values in delivery._plan(claimed[0]):
        db.session.execute(
            statement,
            {
                "event_id": claimed[0].id,
                "actor_id": claimed[0].actor_id,
                "created_at": claimed[0].created_at,
                **values,
            },
        )
    db.session.commit()
    assert _count(Notification) == 3

    # While its lease runs, nobody else takes the event.
    assert delivery.deliver_pending().events == 0
    # Once it has run out, the next worker delivers it again: nobody hears of it twice.
    db.session.execute(
        update(NotificationEvent).values(
            claimed_at=utcnow() - delivery.LEASE - timedelta(seconds=1)
        )
    )
    db.session.commit()
    again = delivery.deliver_pending()
    assert again.events == 1 and again.notifications == 0
    assert _count(Notification) == 3
    assert db.session.scalar(select(NotificationEvent.delivered_at)) is not None


def test_a_large_audience_is_notified_in_one_statement(app):
    prompt = make_prompt()
    watchers = [make_user() for _ in range(3)]
    db.session.execute(
        Subscription.__table__.insert(),
        [
            {
                "user_id": w.id,
                "target_type": "prompt",
                "target_id": prompt.id,
                "level": "watching",
                "created_at": utcnow(),
            }
            for w in watchers
        ],
    )
    db.session.commit()
    make_contribution(prompt=prompt)
    with statements_during() as sent:
        done = delivery.deliver_pending()
    inserts = [s for s in sent if s.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS")]
    assert done.notifications == 4
    assert len(inserts) == 1


@pytest.fixture
def shared_app(tmp_path, app):
    """An app whose database several threads reach: the PostgreSQL schema, or a SQLite file."""
    if POSTGRES_URL:
        yield app
        return
    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}",
        "SEARCH_PATH": str(tmp_path / "shared-index"),
        "QUEUE_IMMEDIATE": False,
        "QUEUE_PATH": str(tmp_path / "queue.db"),
    }
    shared = create_app(base_config(**settings))
    with shared.app_context():
        db.create_all()
        db.session.info["search_capture"] = False
        yield shared
        db.session.remove()
        db.engine.dispose()


def test_workers_delivering_at_once_notify_each_member_once(shared_app):
    prompt = _watched_prompt(4)
    for _ in range(6):
        make_contribution(prompt=prompt)
    db.session.remove()
    errors: list[BaseException] = []
    start = threading.Barrier(3, timeout=60)

    def work():
        try:
            with shared_app.app_context():
                start.wait()
                while delivery.deliver_pending(batch=2).events:
                    pass
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    pairs = db.session.execute(select(Notification.user_id, Notification.event_id)).all()
    # 6 events x (4 watchers + the prompt's author), nobody twice
    assert len(pairs) == len(set(pairs)) == 30
    pending = select(func.count()).where(NotificationEvent.delivered_at.is_(None))
    assert db.session.scalar(pending) == 0
