"""Work queued for the worker waits in the queue (SQLite in the instance folder, or Redis) and
is done when the worker runs it, each task in an app context of its own."""

from __future__ import annotations

import uuid

from forum.queue import queue_of
from tests.factories import PASSWORD
from tests.helpers import REDIS_URL, redis_or_skip


def _register(client):
    return client.post(
        "/api/v1/auth/register",
        json={"username": "queued", "email": "queued@example.org", "password": PASSWORD},
    )


def _queued_then_delivered(client, mailbox):
    queue = queue_of(client.application)
    assert _register(client).status_code == 201
    assert queue.pending() == 1
    assert mailbox.to("queued@example.org") == []  # nothing until the worker runs

    with client.application.app_context():
        assert queue.run_pending() == 1

    (mail,) = mailbox.to("queued@example.org")
    assert mail.subject == "Confirm your email address"
    assert queue.pending() == 0


def test_the_sqlite_queue_keeps_the_confirmation_for_the_worker(
    client_with, smtp_server, mailbox, tmp_path
):
    client = client_with(
        QUEUE_IMMEDIATE=False, QUEUE_PATH=str(tmp_path / "queue.db"), **smtp_server.config
    )
    _queued_then_delivered(client, mailbox)
    assert (tmp_path / "queue.db").exists()


def test_the_redis_queue_keeps_the_confirmation_for_the_worker(client_with, smtp_server, mailbox):
    connection = redis_or_skip()
    name = f"test-queue-{uuid.uuid4().hex[:8]}"
    client = client_with(
        QUEUE_IMMEDIATE=False, REDIS_URL=REDIS_URL, QUEUE_NAME=name, **smtp_server.config
    )
    try:
        assert type(queue_of(client.application).huey).__name__ == "RedisHuey"
        _queued_then_delivered(client, mailbox)
    finally:
        for key in connection.scan_iter(f"huey*{name}*"):
            connection.delete(key)


def test_the_worker_refuses_to_start_in_immediate_mode(runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 1
    assert "QUEUE_IMMEDIATE" in result.output


def test_the_worker_runs_one_tick_at_a_time(client_with, tmp_path):
    from forum import periodic
    from forum.queue import TICK_LOCK

    client = client_with(QUEUE_IMMEDIATE=False, QUEUE_PATH=str(tmp_path / "queue.db"))
    queue = queue_of(client.application)
    runs = []
    periodic.JOBS["test.count"] = periodic.Job("test.count", periodic.every(hours=1), runs.append)
    try:
        with client.application.app_context():
            with queue.huey.lock_task(TICK_LOCK):  # another worker's tick is running
                queue.tick()
                queue.run_pending()
            assert runs == []

            queue.tick()
            queue.run_pending()
        assert len(runs) == 1
    finally:
        del periodic.JOBS["test.count"]
