"""`flask --app forum tick --at T` does the periodic work due at T once: the same time twice
sends nothing twice, and a later slot does it again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum import periodic
from forum.mail import send_once
from forum.models.periodic import PeriodicRun
from tests.factories import make_user


@pytest.fixture
def weekly_letter(app):
    """A periodic job as the notifications' digests are written: a weekly email per member,
    keyed by its slot. `runs` counts how often the job itself ran."""
    runs = []

    @periodic.periodic("test.weekly_letter", periodic.weekly(weekday=0, hour=7))
    def letter(slot: datetime) -> None:
        runs.append(slot)
        for address in ("ada@example.org", "sam@example.org"):
            send_once(f"letter:{slot.isoformat()}:{address}", address, "This week", "News.")

    yield runs
    del periodic.JOBS["test.weekly_letter"]


def test_tick_twice_for_the_same_time_sends_nothing_twice(runner, mailbox, weekly_letter):
    first = runner.invoke(args=["tick", "--at", "2026-12-07T07:05:00Z"])
    second = runner.invoke(args=["tick", "--at", "2026-12-07T07:05:00Z"])

    assert first.exit_code == second.exit_code == 0, first.output
    assert "test.weekly_letter: done" in first.output
    assert "test.weekly_letter" not in second.output
    assert len(mailbox.to("ada@example.org")) == len(mailbox.to("sam@example.org")) == 1
    assert weekly_letter == [datetime(2026, 12, 7, 7, tzinfo=UTC)]


def test_a_later_time_in_the_same_week_sends_nothing_and_the_next_week_sends_again(
    runner, mailbox, weekly_letter
):
    runner.invoke(args=["tick", "--at", "2026-12-07T07:05:00Z"])
    runner.invoke(args=["tick", "--at", "2026-12-10T12:00:00Z"])
    assert len(mailbox.to("ada@example.org")) == 1

    runner.invoke(args=["tick", "--at", "2026-12-14T07:00:00+00:00"])

    assert len(mailbox.to("ada@example.org")) == 2


def test_a_job_run_again_for_its_slot_after_a_crash_sends_nothing_twice(
    app, mailbox, weekly_letter
):
    """The worker died after the emails but before the slot was recorded."""
    slot = datetime(2026, 12, 7, 7, tzinfo=UTC)
    periodic.JOBS["test.weekly_letter"].fn(slot)

    periodic.run_due(slot)

    assert len(mailbox.to("ada@example.org")) == 1
    assert len(weekly_letter) == 2


def test_a_failing_job_does_not_stop_the_others_and_is_tried_again(app, mailbox, weekly_letter):
    calls = []

    @periodic.periodic("test.broken", periodic.every(hours=1))
    def broken(slot):
        calls.append(slot)
        raise RuntimeError("broken")

    try:
        at = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
        assert periodic.run_due(at)["test.broken"] == "failed"
        assert len(mailbox.to("ada@example.org")) == 1
        periodic.run_due(at)
        assert len(calls) == 2
    finally:
        del periodic.JOBS["test.broken"]


def test_a_time_that_is_not_iso_is_refused(runner):
    result = runner.invoke(args=["tick", "--at", "next tuesday"])
    assert result.exit_code == 2
    assert "not an ISO time" in result.output


def test_the_shipped_clean_up_forgets_old_records(app, runner):
    make_user()
    result = runner.invoke(args=["tick", "--at", "2026-12-07T04:00:00Z"])
    assert "mail.forget: done" in result.output
    assert "periodic.forget: done" in result.output
    from forum.extensions import db

    done = set(db.session.scalars(db.select(PeriodicRun.job)))
    assert {"mail.forget", "periodic.forget"} <= done


def test_schedules_start_their_slots_where_they_say():
    at = datetime(2026, 12, 5, 6, 59, tzinfo=UTC)  # a Saturday
    assert periodic.daily(hour=7).slot(at) == datetime(2026, 12, 4, 7, tzinfo=UTC)
    assert periodic.daily(hour=6).slot(at) == datetime(2026, 12, 5, 6, tzinfo=UTC)
    assert periodic.weekly(weekday=0, hour=7).slot(at) == datetime(2026, 11, 30, 7, tzinfo=UTC)
    assert periodic.every(minutes=15).slot(at) == datetime(2026, 12, 5, 6, 45, tzinfo=UTC)
