"""Asking for a password reset does the same work whether or not the address has an account:
the request only queues the asking, and the worker looks the address up. A request that looked
it up itself (and wrote a link for a known address) took longer for a known address, which told
anyone timing it who has an account."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.mail import EmailToken
from forum.queue import queue_of
from tests.factories import make_user
from tests.helpers import statements_during


@pytest.fixture
def app_config_overrides(smtp_server, tmp_path):
    """Tasks wait for a worker here (the tests' default runs each at once)."""
    return {**smtp_server.config, "QUEUE_IMMEDIATE": False, "QUEUE_PATH": str(tmp_path / "q.db")}


def _statements_of(app, client, email: str) -> list[str]:
    """The SQL the request ran, in order."""
    with statements_during(app) as ran:
        answer = client.post("/api/v1/auth/password-reset", json={"email": email})
    assert answer.status_code == 202
    return ran


def _links(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(EmailToken.id)))


def test_the_request_does_the_same_work_for_a_known_and_an_unknown_address(app, client, mailbox):
    user = make_user()
    queue = queue_of(app)

    known = _statements_of(app, client, user.email)
    assert _links(app) == 0  # no link written while the asker waits
    unknown = _statements_of(app, client, "nobody@example.org")

    assert known == unknown
    assert queue.pending() == 2  # one asking queued for each
    assert len(mailbox) == 0

    assert queue.run_pending() == 3  # the two askings, then the known member's email
    assert len(mailbox.to(user.email)) == 1  # the worker found the account and mailed it
    assert mailbox.to("nobody@example.org") == []
    assert _links(app) == 1


def test_a_malformed_address_queues_nothing(app, client, mailbox):
    answer = client.post("/api/v1/auth/password-reset", json={"email": "not an address"})

    assert answer.status_code == 202
    assert queue_of(app).pending() == 0
