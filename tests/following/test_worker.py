"""The worker's part: each write that records events queues their delivery (the tests' queue runs
a task at once, as a worker would moments later), and the periodic sweep delivers what a lost task
left; a queue that fails never fails the write."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import NotificationEvent
from forum.queue import Task
from tests.factories import make_contribution, make_prompt, make_user
from tests.following.helpers import follow, inbox, kinds


@pytest.fixture
def app_config_overrides() -> dict:
    return {}  # QUEUE_IMMEDIATE, as in every other suite


def waiting() -> int:
    query = select(func.count()).where(NotificationEvent.delivered_at.is_(None))
    return db.session.scalar(query)


def test_a_write_is_delivered_by_the_task_it_queues(client):
    prompt = make_prompt()
    reader = make_user()
    follow(client, reader, "prompt", prompt.id)
    contribution = make_contribution(prompt=prompt)
    assert waiting() == 0
    assert kinds(inbox(client, reader)) == [("contribution", contribution.id)]


def test_a_queue_that_fails_leaves_the_events_to_the_sweep(client, runner, monkeypatch):
    prompt = make_prompt()
    reader = make_user()
    follow(client, reader, "prompt", prompt.id)

    def broken(self, *args, **kwargs):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(Task, "enqueue", broken)
    contribution = make_contribution(prompt=prompt)  # the write still succeeds
    assert waiting() == 1
    assert inbox(client, reader)["items"] == []

    result = runner.invoke(args=["tick", "--at", datetime.now(UTC).isoformat()])
    assert result.exit_code == 0, result.output
    assert waiting() == 0
    assert kinds(inbox(client, reader)) == [("contribution", contribution.id)]
