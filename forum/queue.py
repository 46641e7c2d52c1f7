"""Background work on a task queue (Huey): SQLite storage in the instance folder by default,
Redis when FORUM_REDIS_URL is set, so every app server and worker shares it.

A module declares a task once, at import (it must be imported by create_app, as services are):

    from forum.queue import task

    @task(retries=5, retry_delay=60)
    def deliver(event_id: int) -> None: ...

    deliver.enqueue(event_id)            # after the transaction that made the work committed

The worker (`flask --app forum worker`) runs each task in an app context of its own, so a task
opens and ends its own transactions, as a service does. QUEUE_IMMEDIATE (on in the tests) runs a
task at once in the process that queues it, still in an app context of its own; `run_pending`
runs what a non-immediate queue holds, in-process (tests, or draining by hand).

Arguments go through the queue's storage (pickled): pass ids and small values, never rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab

log = logging.getLogger(__name__)

TASKS: dict[str, Task] = {}
TICK_LOCK = "forum.periodic.tick"


class Task:
    """A function the queue can run later. Call it to run it now, in this context."""

    def __init__(self, fn: Callable[..., Any], name: str, retries: int, retry_delay: int):
        self.fn, self.name, self.retries, self.retry_delay = fn, name, retries, retry_delay
        self.__doc__ = fn.__doc__

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def enqueue(self, *args, delay: int | None = None, **kwargs) -> None:
        """Queue a run with these arguments (after `delay` seconds)."""
        queue_of(current_app).enqueue(self, args, kwargs, delay)

    def __repr__(self) -> str:
        return f"<Task {self.name}>"


def task(name: str | None = None, *, retries: int = 5, retry_delay: int = 60):
    """Register a task (decorator). A failed run is tried again up to `retries` times,
    `retry_delay` seconds apart; the name (module.function by default) is what the queue stores,
    so keep it when moving the function."""

    def register(fn: Callable[..., Any]) -> Task:
        found = Task(fn, name or f"{fn.__module__}.{fn.__qualname__}", retries, retry_delay)
        TASKS[found.name] = found
        return found

    return register


class Queue:
    """The app's Huey, made on first use (creating an app touches neither disk nor Redis)."""

    def __init__(self, app: Flask):
        self.app = app
        self._huey = None
        self._wrappers: dict[str, Any] = {}

    @property
    def huey(self):
        if self._huey is None:
            self._huey = self._make()
        return self._huey

    def _make(self):
        cfg = self.app.config
        options = {"results": False, "immediate": bool(cfg["QUEUE_IMMEDIATE"]), "utc": True}
        if cfg.get("REDIS_URL"):
            huey = RedisHuey(cfg["QUEUE_NAME"], url=cfg["REDIS_URL"], **options)
        else:
            path = cfg.get("QUEUE_PATH") or str(Path(self.app.instance_path) / "queue.db")
            if not options["immediate"]:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            huey = SqliteHuey(cfg["QUEUE_NAME"], filename=path, **options)
        # Once a minute the worker's scheduler queues the periodic work (forum/periodic.py); one
        # tick at a time across workers (a long digest run would otherwise meet the next tick).
        lock = huey.lock_task(TICK_LOCK)

        def tick() -> None:
            with lock:
                _tick_now()

        self.tick = huey.periodic_task(crontab(), name="forum.periodic.tick")(self._in_app(tick))
        return huey

    def _in_app(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        app = self.app

        def run(*args, **kwargs):
            with app.app_context():
                return fn(*args, **kwargs)

        run.__name__ = getattr(fn, "__name__", "task")
        return run

    def wrapper(self, found: Task):
        """Huey's task for `found` (registered on first use: the worker registers them all)."""
        if found.name not in self._wrappers:
            self._wrappers[found.name] = self.huey.task(
                retries=found.retries, retry_delay=found.retry_delay, name=found.name
            )(self._in_app(found.fn))
        return self._wrappers[found.name]

    def enqueue(self, found: Task, args: tuple, kwargs: dict, delay: int | None) -> None:
        wrapper = self.wrapper(found)
        if delay:
            wrapper.schedule(args, kwargs, delay=delay)
        else:
            wrapper(*args, **kwargs)

    def register_all(self) -> None:
        for found in list(TASKS.values()):
            self.wrapper(found)

    def pending(self) -> int:
        """How many runs wait in the queue."""
        return self.huey.pending_count()

    def run_pending(self) -> int:
        """Run every task waiting in the queue, here and now; how many ran."""
        self.register_all()
        ran = 0
        while (message := self.huey.dequeue()) is not None:
            self.huey.execute(message)
            ran += 1
        return ran


def queue_of(app: Flask) -> Queue:
    return app.extensions["queue"]


def _tick_now() -> None:
    from forum import periodic  # the registry of periodic jobs imports models

    periodic.run_due(datetime.now(UTC))


@click.command("worker")
@click.option("--workers", type=int, help="Threads running tasks (default QUEUE_WORKERS).")
def worker_command(workers: int | None) -> None:
    """Deliver queued work (email, notifications) and run the periodic work until stopped."""
    queue = queue_of(current_app)
    if queue.huey.immediate:
        raise click.ClickException("QUEUE_IMMEDIATE is on: tasks run where they are queued.")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    queue.register_all()
    consumer = queue.huey.create_consumer(
        workers=workers or current_app.config["QUEUE_WORKERS"],
        worker_type="thread",
        flush_locks=True,  # a tick's lock left by a worker that was killed
    )
    consumer.run()


def init_app(app: Flask) -> None:
    app.extensions["queue"] = Queue(app)
    app.cli.add_command(worker_command)
