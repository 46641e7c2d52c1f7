"""Periodic work (digests, check-ins, clean-up): each job is done once per slot of its schedule.

    from forum.periodic import daily, periodic

    @periodic("digests.daily", daily(hour=7))
    def send_daily_digests(slot: datetime) -> None: ...

A slot is the start of the period a time falls in (for daily(hour=7), 07:00 UTC of that day, or
of the day before when it is earlier than 07:00). `run_due(at)` does every job whose slot at
`at` has no row in `periodic_runs` yet, then writes that row: `flask --app forum tick --at T`
run twice does the work once, and the worker (which calls it every minute) catches up on the
current slot after a pause. A job must itself be safe to run twice for one slot (a crash
before its row is written, two workers at once): email sent with `forum.mail.send_once` and a
key naming the slot is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click
from flask import Flask

from forum.extensions import db
from forum.services import periodic_runs

log = logging.getLogger(__name__)
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday


@dataclass(frozen=True)
class Schedule:
    """Slots `period` apart, starting `offset` after a Monday at 00:00 UTC."""

    period: timedelta
    offset: timedelta = timedelta(0)

    def slot(self, at: datetime) -> datetime:
        return _EPOCH + self.offset + ((at - _EPOCH - self.offset) // self.period) * self.period


def every(**period) -> Schedule:
    """Every so long: every(minutes=15), every(hours=1)."""
    return Schedule(timedelta(**period))


def daily(hour: int = 0, minute: int = 0) -> Schedule:
    """Once a day at hour:minute UTC."""
    return Schedule(timedelta(days=1), timedelta(hours=hour, minutes=minute))


def weekly(weekday: int = 0, hour: int = 0, minute: int = 0) -> Schedule:
    """Once a week on `weekday` (0 is Monday) at hour:minute UTC."""
    return Schedule(timedelta(weeks=1), timedelta(days=weekday, hours=hour, minutes=minute))


@dataclass(frozen=True)
class Job:
    name: str
    schedule: Schedule
    fn: Callable[[datetime], None]


JOBS: dict[str, Job] = {}


def periodic(name: str, schedule: Schedule) -> Callable[[Callable[[datetime], None]], Callable]:
    """Register `fn(slot)` to run once per slot of `schedule` (decorator)."""

    def register(fn: Callable[[datetime], None]) -> Callable[[datetime], None]:
        JOBS[name] = Job(name, schedule, fn)
        return fn

    return register


def run_due(at: datetime) -> dict[str, str]:
    """Do every job due at `at` whose slot is not done yet: {job name: "done" | "failed"}.
    A failing job is logged and tried again at the next tick; the others still run."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    outcome = {}
    for job in sorted(JOBS.values(), key=lambda job: job.name):
        slot = job.schedule.slot(at)
        if periodic_runs.is_done(job.name, slot):
            continue
        db.session.rollback()  # each job starts on a fresh transaction
        try:
            job.fn(slot)
        except Exception:
            log.exception("Periodic job %s failed for %s", job.name, slot.isoformat())
            db.session.rollback()
            outcome[job.name] = "failed"
            continue
        periodic_runs.record(job.name, slot)  # once, even if another tick did the same slot
        outcome[job.name] = "done"
    return outcome


@periodic("periodic.forget", daily(hour=3, minute=30))
def forget_old_runs(slot: datetime) -> None:
    """The record of periodic work is needed only while its slot can come again."""
    periodic_runs.forget_before(slot - timedelta(days=60))


@click.command("tick")
@click.option("--at", "at", help="ISO time (default: now), e.g. 2026-12-07T07:00:00Z.")
def tick_command(at: str | None) -> None:
    """Do once the periodic work due at that time (digests, check-ins); idempotent."""
    if at:
        try:
            when = datetime.fromisoformat(at)
        except ValueError as error:
            raise click.BadParameter(f"not an ISO time: {at!r}", param_hint="--at") from error
    else:
        when = datetime.now(UTC)
    outcome = run_due(when)
    for name, result in outcome.items():
        click.echo(f"{name}: {result}")
    if not outcome:
        click.echo("Nothing due.")
    if "failed" in outcome.values():
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(tick_command)
