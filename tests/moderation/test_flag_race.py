"""One open flag per member per contribution, even when the same flag arrives several times at
once: the first request gets 201, every other one the same 409 as a later duplicate, never a 500.
The requests run in threads, each in its own app context and database session, on a database
file (or the PostgreSQL test schema) that all of them share."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from forum import create_app
from forum.extensions import db
from forum.models import Flag
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_contribution, make_user, token_for

REQUESTS = 4


@pytest.fixture
def shared_app(tmp_path, app):
    """An app whose database every thread reaches: the PostgreSQL schema, or a SQLite file."""
    if POSTGRES_URL:
        yield app
        return
    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}",
        "SEARCH_PATH": str(tmp_path / "shared-index"),
    }
    shared = create_app(base_config(**settings))
    with shared.app_context():
        db.create_all()
        db.session.info["search_capture"] = False
        yield shared
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def all_past_the_duplicate_check():
    """Hold every request just before it inserts its flag until all of them have checked for an
    open one: the worst interleaving, every time, instead of only when the scheduler allows."""
    barrier = threading.Barrier(REQUESTS, timeout=60)

    def wait_for_everyone(_mapper, _connection, _flag) -> None:
        barrier.wait()

    event.listen(Flag, "before_insert", wait_for_everyone)
    yield
    event.remove(Flag, "before_insert", wait_for_everyone)


def _send_flag(app, contribution_id: int, token: str, answers: list, errors: list) -> None:
    try:
        response = app.test_client().post(
            f"/api/v1/contributions/{contribution_id}/flags",
            json={"reason": "spam", "note": "Selling something."},
            headers={"Authorization": f"Bearer {token}"},
        )
        answers.append((response.status_code, response.get_json()))
    except Exception as error:  # noqa: BLE001 - reported to the main thread below
        errors.append(error)


def test_identical_flags_sent_at_once_leave_one_open_flag_and_conflicts(
    shared_app, all_past_the_duplicate_check
):
    contribution = make_contribution()
    token = token_for(make_user())
    answers: list = []
    errors: list = []
    threads = [
        threading.Thread(
            target=_send_flag, args=(shared_app, contribution.id, token, answers, errors)
        )
        for _ in range(REQUESTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (REQUESTS - 1), answers
    for status, body in answers:
        if status == 409:
            assert body["code"] == 409 and "already flagged" in body["message"]
    db.session.expire_all()
    open_flags = db.session.scalar(
        select(func.count(Flag.id)).where(
            Flag.contribution_id == contribution.id, Flag.status == "open"
        )
    )
    assert open_flags == 1
