"""Notification emails: a member who chose `immediately` hears by email of what reached their
inbox, gathered in windows of a few minutes (one email per member per window, however many
events a burst brought), never a flood of one email per event.

A window is a stretch of NOTIFICATION_EMAIL_WINDOW seconds (300 by default) of the time events
were *delivered* (turned into notifications, `notification_events.delivered_at`), not the time
they happened: an event delivered late by a worker that was down still falls in a window that
has not been emailed. A window is emailed once it has closed and NOTIFICATION_EMAIL_SETTLE
seconds (60) have passed, so every delivery that stamped a time in it has committed; its content
is then fixed, and each member's email is keyed by the window (`send_once`): a second worker, a
retried task or a restarted one sends nothing twice. A window done is recorded in
`periodic_runs` (job `notifications.email-window`); windows of the last day not recorded yet are
done by the next run.

Who gets one: members with `email_notifications = immediately` and a confirmed address. What is
in it: their notifications of the window still shown in the inbox (content hidden or deleted
since is left out; nobody is notified of their own act, and muted targets were already silenced
when the notifications were written).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.mail import email_url, render_email, send_once
from forum.models import Notification, NotificationEvent, User
from forum.models.periodic import PeriodicRun
from forum.models.types import utcnow
from forum.periodic import every, periodic
from forum.queue import task
from forum.services.inbox import item_of, shown_notifications

WINDOW_JOB = "notifications.email-window"
LOOKBACK = timedelta(days=1)  # older news is in the inbox and the digest, not sent by email
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)
EVENTS = NotificationEvent.__table__


def window_length() -> timedelta:
    return timedelta(seconds=current_app.config.get("NOTIFICATION_EMAIL_WINDOW", 300))


def settle_time() -> timedelta:
    return timedelta(seconds=current_app.config.get("NOTIFICATION_EMAIL_SETTLE", 60))


def window_of(at: datetime, length: timedelta) -> datetime:
    """The start of the window `at` falls in."""
    return _EPOCH + ((at - _EPOCH) // length) * length


def send_closed_windows(now: datetime | None = None) -> int:
    """Email every closed, settled window of the last day not done yet; how many emails were
    sent. Commits (each email, each window done)."""
    now = now or utcnow()
    length = window_length()
    closed_before = window_of(now - settle_time(), length)
    since = window_of(now - LOOKBACK, length)
    times = db.session.scalars(
        select(EVENTS.c.delivered_at)
        .where(EVENTS.c.delivered_at >= since, EVENTS.c.delivered_at < closed_before)
        .distinct()
    )
    windows = sorted({window_of(t, length) for t in times})
    done = set(
        db.session.scalars(
            select(PeriodicRun.slot).where(PeriodicRun.job == WINDOW_JOB, PeriodicRun.slot >= since)
        )
    )
    db.session.rollback()
    sent = 0
    for start in windows:
        if start not in done:
            sent += send_window(start, start + length)
            _record(start)
    return sent


def send_window(start: datetime, end: datetime) -> int:
    """One email per member of what reached them in this window; how many were sent."""
    rows = db.session.execute(
        shown_notifications(Notification.user_id)
        .join(User, User.id == Notification.user_id)
        .where(
            NotificationEvent.delivered_at >= start,
            NotificationEvent.delivered_at < end,
            User.email_notifications == "immediately",
            User.email_confirmed_at.is_not(None),
        )
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_member = defaultdict(list)
    for row in rows:
        by_member[row.user_id].append(item_of(row))
    # Plain rows: each email commits, which would expire (and reload) ORM objects each time.
    members = {
        row.id: row
        for row in db.session.execute(
            select(User.id, User.username, User.email).where(User.id.in_(list(by_member)))
        )
    }
    db.session.rollback()
    sent = 0
    for member_id, items in by_member.items():
        sent += _send(members[member_id], start, items)
    return sent


def _send(member, start: datetime, items: list) -> bool:
    from forum.services.email_accounts import unsubscribe_url

    subject = items[0].text if len(items) == 1 else f"{len(items)} new notifications on Commonplace"
    values = {
        "username": member.username,
        "items": [(item.text, item_url(item)) for item in items],
        "inbox": email_url("following.inbox"),
        "settings": email_url("settings.index") + "#email-notifications",
    }
    text = render_email("email/notifications.txt", **values)
    # The HTML part from its own (escaping) template: names and titles are members' words, and
    # read as Markdown they would become links or images in the email.
    html = render_email("email/notifications.html", **values)
    key = f"notifications:{start.isoformat()}:member:{member.id}"
    return send_once(
        key, member.email, subject, text, html=html, unsubscribe_url=unsubscribe_url(member)
    )


def item_url(item) -> str:
    """Where a notification leads: its contribution (the comment's), else the inbox; a
    check-in, to the contribution's outcome form."""
    if item.kind == "checkin" and item.contribution_id:
        return email_url("playbook.how_it_went", contribution_id=item.contribution_id)
    if item.contribution_id:
        return email_url("contributions.show", contribution_id=item.contribution_id)
    return email_url("following.inbox")


def _record(start: datetime) -> None:
    db.session.add(PeriodicRun(job=WINDOW_JOB, slot=start))
    try:
        db.session.commit()
    except IntegrityError:  # another worker did the same window: its emails were keyed alike
        db.session.rollback()


@task("notifications.email", retries=5, retry_delay=60)
def send_notification_emails() -> None:
    """Email the windows that have closed (queued by delivery, to run when its window has)."""
    send_closed_windows()


@periodic("notifications.email", every(minutes=1))
def sweep(slot: datetime) -> None:
    """Whatever a lost or failed task left (and the windows of a worker that was down)."""
    send_closed_windows(slot)


_scheduled: dict[str, datetime] = {}  # per process and queue: the last window queued


def send_soon() -> None:
    """Queue the emailing of the window delivered now, to run once it has closed and settled:
    once per window in this process, however many deliveries it holds. Should queueing fail,
    the minute's sweep does it."""
    now, length = utcnow(), window_length()
    window = window_of(now, length)
    queue = current_app.config["QUEUE_NAME"]
    if _scheduled.get(queue) == window:
        return
    due = window + length + settle_time()
    send_notification_emails.enqueue(delay=int((due - now).total_seconds()) + 1)
    _scheduled[queue] = window
