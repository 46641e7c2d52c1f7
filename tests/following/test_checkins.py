"""The playbook's check-in: once a saved strategy's reminder date has passed with no outcome
reported, its saver (and nobody else) is asked how it went, once, whatever the number of ticks,
and not at all when they reported before or removed the strategy."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum import periodic
from forum.extensions import db
from forum.models import NotificationEvent, SavedStrategy
from forum.services import checkins, moderation, outcomes, playbook
from forum.services.delivery import deliver_all
from tests.api import test_double_submits
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.following.helpers import delivered_inbox, inbox

# Two workers on one database (a SQLite file, or the run's PostgreSQL schema): a fixture.
shared_app = test_double_submits.shared_app


@pytest.fixture
def saved():
    """A member who saved Tom's strategy on a prompt, the default fourteen days ago from its
    reminder: (member, strategy, the row)."""
    prompt = make_prompt(title="Calming a tense team meeting")
    author = make_user(display_name="Tom Becker")
    strategy = make_contribution(prompt=prompt, author=author, body="Name the tension first.")
    member = make_user()
    row = playbook.save(member, strategy)
    return member, strategy, row


def checkin_items(client, member) -> list[dict]:
    return [item for item in delivered_inbox(client, member)["items"] if item["kind"] == "checkin"]


def row_of(row) -> SavedStrategy:
    db.session.expire_all()
    return db.session.get(SavedStrategy, row.id)


def events() -> int:
    return db.session.scalar(
        select(func.count(NotificationEvent.id)).where(NotificationEvent.kind == "checkin")
    )


def test_before_the_reminder_date_nobody_is_asked(client, saved):
    member, _, row = saved

    assert checkins.raise_checkins(row.remind_at - timedelta(hours=1)) == 0

    assert checkin_items(client, member) == []
    assert row_of(row).checkin_at is None


def test_after_the_reminder_date_the_saver_alone_is_asked_how_it_went(client, saved):
    member, strategy, row = saved
    other = make_user()
    playbook.save(other, make_contribution())  # their reminder is theirs

    assert checkins.raise_checkins(row.remind_at + timedelta(hours=1)) == 2

    (item,) = checkin_items(client, member)
    assert (
        item["text"]
        == "How did it go with Tom Becker's strategy on “Calming a tense team meeting”?"
    )
    assert item["url"].endswith(f"/contributions/{strategy.id}/how-it-went")
    assert item["contribution_id"] == strategy.id
    assert item["actor"]["display_name"] == "Tom Becker"
    assert item["read_at"] is None
    assert row_of(row).checkin_at is not None
    assert checkin_items(client, strategy.author) == []
    assert len(checkin_items(client, other)) == 1


def test_the_check_in_link_leads_to_the_outcome_form_on_the_contribution(client, saved):
    member, strategy, row = saved
    checkins.raise_checkins(row.remind_at)
    assert len(checkin_items(client, member)) == 1

    response = client.get(f"/contributions/{strategy.id}/how-it-went")

    assert response.status_code == 302
    prompt = strategy.prompt
    assert response.location.endswith(f"/prompts/{prompt.id}/{prompt.slug}#outcome-{strategy.id}")


def test_ticking_twice_or_later_asks_once(client, runner, saved):
    member, _, row = saved
    at = (row.remind_at + timedelta(hours=2)).isoformat()
    later = (row.remind_at + timedelta(days=2)).isoformat()

    first = runner.invoke(args=["tick", "--at", at])
    second = runner.invoke(args=["tick", "--at", at])
    third = runner.invoke(args=["tick", "--at", later])

    assert first.exit_code == second.exit_code == third.exit_code == 0, first.output
    assert "playbook.checkins: done" in first.output
    assert "playbook.checkins" not in second.output
    assert "playbook.checkins: done" in third.output
    assert len(checkin_items(client, member)) == 1
    assert events() == 1


def test_an_outcome_reported_before_the_date_means_no_check_in(client, saved):
    member, strategy, row = saved
    outcomes.report(member, strategy, "worked")

    assert checkins.raise_checkins(row.remind_at + timedelta(days=1)) == 0

    assert checkin_items(client, member) == []
    assert events() == 0


def test_a_strategy_removed_before_the_date_brings_no_check_in(client, saved):
    member, strategy, row = saved
    later = row.remind_at + timedelta(days=1)
    playbook.unsave(member, strategy)

    assert checkins.raise_checkins(later) == 0

    assert checkin_items(client, member) == []


def test_a_strategy_removed_after_the_check_in_was_raised_is_not_delivered(client, saved):
    member, strategy, row = saved
    checkins.raise_checkins(row.remind_at)
    playbook.unsave(member, strategy)

    assert checkin_items(client, member) == []


def test_an_outcome_reported_after_the_check_in_takes_it_out_of_the_inbox(client, saved):
    member, strategy, row = saved
    checkins.raise_checkins(row.remind_at)
    assert len(checkin_items(client, member)) == 1
    before = inbox(client, member)["unread_count"]

    outcomes.report(member, strategy, "partly")

    assert checkin_items(client, member) == []
    assert inbox(client, member)["unread_count"] == before - 1


def test_a_hidden_strategy_brings_no_check_in_until_it_is_restored(client, saved):
    member, strategy, row = saved
    moderator = make_moderator()
    moderation.hide(moderator, strategy, "spam")

    assert checkins.raise_checkins(row.remind_at + timedelta(days=1)) == 0

    moderation.restore(moderator, strategy)
    assert checkins.raise_checkins(row.remind_at + timedelta(days=1)) == 1
    assert len(checkin_items(client, member)) == 1


def test_saving_again_after_the_check_in_brings_a_new_one_on_the_new_date(client, saved):
    member, strategy, row = saved
    checkins.raise_checkins(row.remind_at)
    deliver_all()

    again = playbook.save(member, strategy, 3)
    assert checkins.raise_checkins(again.remind_at - timedelta(minutes=1)) == 0
    assert checkins.raise_checkins(again.remind_at) == 1

    assert len(checkin_items(client, member)) == 2


def test_a_run_that_fails_midway_leaves_nothing_raised_and_the_next_run_asks_once(
    client, saved, monkeypatch
):
    member, _, row = saved

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(checkins, "insert", broken)
    with pytest.raises(RuntimeError):
        checkins.raise_checkins(row.remind_at)
    db.session.rollback()
    assert row_of(row).checkin_at is None
    assert events() == 0
    monkeypatch.undo()

    assert checkins.raise_checkins(row.remind_at) == 1
    assert checkins.raise_checkins(row.remind_at) == 0
    assert len(checkin_items(client, member)) == 1


def test_many_due_check_ins_are_raised_in_batches_each_once(client, monkeypatch):
    monkeypatch.setattr(checkins, "BATCH", 2)
    prompt = make_prompt()
    member = make_user()
    rows = [playbook.save(member, make_contribution(prompt=prompt)) for _ in range(5)]

    assert checkins.raise_checkins(max(r.remind_at for r in rows)) == 5

    assert len(checkin_items(client, member)) == 5
    assert events() == 5


def test_the_check_in_is_a_periodic_job():
    job = periodic.JOBS["playbook.checkins"]

    assert job.schedule.period <= timedelta(hours=1)


def test_two_workers_raising_at_once_ask_each_member_once(shared_app):
    prompt = make_prompt()
    rows = [playbook.save(make_user(), make_contribution(prompt=prompt)) for _ in range(6)]
    at = max(row.remind_at for row in rows)
    barrier, raised = threading.Barrier(2), []

    def worker():
        with shared_app.app_context():
            barrier.wait()
            raised.append(checkins.raise_checkins(at))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(raised) == 6
    assert events() == 6
