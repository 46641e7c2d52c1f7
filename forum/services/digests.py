"""Digests: once a day or once a week (the member's `digest` setting), an email of what is new in
what they follow, most useful first, to members with a confirmed address. Nothing new, no email.

What is new is what reached the member's inbox in the period before the slot (a day or a week):
new contributions where they watch (prompt, key point, topic, tag, person) and mentions in new
contributions, ranked by usefulness with the fair-exposure slot the prompt pages use (position
3 goes to the newest contribution with fewer than five ratings, labelled new:
`forum.ranking.place_fair_exposure`). A member who chose "in the digest only" for notification
emails also finds their other notifications there (comments, mentions in comments, moderation of
their content). Content hidden or deleted since is never in it. The digest comes whatever the
member chose for notification emails: `digest: off` is the one way to stop it.

Each member's digest is keyed by its slot (`send_once`): a tick run twice, a second worker or a
job run again after a crash sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from forum.extensions import db
from forum.mail import Email, email_url, render_email, send_batch
from forum.models import Contribution, Notification, User
from forum.periodic import daily, periodic, weekly
from forum.ranking import FAIR_MAX_RATINGS, place_fair_exposure
from forum.services import sent_mail
from forum.services.delivery import deliver_all
from forum.services.inbox import item_of, shown_notifications
from forum.services.notification_email import item_url

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
SHOWN = 10  # contributions listed; the rest are counted, with a link to the inbox
NEW_CONTRIBUTIONS = ("contribution", "mention")
BATCH = 200  # digests claimed in one transaction and sent over one connection


SCHEDULES = {"daily": daily(hour=7), "weekly": weekly(weekday=0, hour=7)}


@periodic("digests.daily", SCHEDULES["daily"])
def send_daily(slot: datetime) -> None:
    """The daily digests, at 07:00 UTC."""
    send_digests("daily", slot)


@periodic("digests.weekly", SCHEDULES["weekly"])
def send_weekly(slot: datetime) -> None:
    """The weekly digests, on Mondays at 07:00 UTC."""
    send_digests("weekly", slot)


@dataclass
class Entry:
    """One line of a digest."""

    text: str
    url: str
    new: bool = False


@dataclass
class Digest:
    member: Any  # a row: id, username, email, email_notifications
    contributions: list[Entry]
    more: int
    others: list[Entry]


def send_digests(frequency: str, slot: datetime, member_id: int | None = None) -> int:
    """Send the `frequency` digests of the period ending at `slot` (of one member, with
    `member_id`); how many were sent."""
    deliver_all()  # what still waits for the worker belongs in the digest
    links = {
        "inbox": email_url("following.inbox"),
        "settings": email_url("settings.index") + "#email-notifications",
    }
    # Keys already claimed (a run again after a crash) are skipped before any rendering.
    done = sent_mail.claimed_keys(_key(frequency, slot, ""))
    due = [
        d
        for d in digests_for(frequency, slot, member_id)
        if _key(frequency, slot, d.member.id) not in done
    ]
    sent = 0
    # A batch's keys are claimed in one transaction and its emails sent over one connection: a
    # run killed midway loses at most the rest of one batch (send_batch), never sends twice.
    for start in range(0, len(due), BATCH):
        batch = [_email(d, frequency, slot, links) for d in due[start : start + BATCH]]
        sent += len(send_batch(batch))
    return sent


def _key(frequency: str, slot: datetime, member_id) -> str:
    return f"digest:{frequency}:{slot.date().isoformat()}:member:{member_id}"


def next_slot(frequency: str, at: datetime) -> datetime:
    """The slot of the next digest of that frequency after `at`: its period holds `at`."""
    schedule = SCHEDULES[frequency]
    return schedule.slot(at + PERIODS[frequency])


def digests_for(frequency: str, slot: datetime, member_id: int | None = None) -> list[Digest]:
    """The digests due at `slot`, one per member with something new (none for the others)."""
    query = (
        shown_notifications(
            Notification.user_id,
            Contribution.score,
            Contribution.rating_count,
            Contribution.created_at.label("contributed_at"),
            User.email_notifications,
        )
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.created_at >= slot - PERIODS[frequency],
            Notification.created_at < slot,
            User.digest == frequency,
            User.email_confirmed_at.is_not(None),
        )
        .order_by(Notification.user_id, Notification.id)
    )
    if member_id is not None:
        query = query.where(Notification.user_id == member_id)
    by_member = defaultdict(list)
    for row in db.session.execute(query):
        by_member[row.user_id].append(row)
    # Plain rows, not ORM objects: each email commits, and a session holding 10,000 members
    # would expire (and reload) them all at every commit.
    members = db.session.execute(
        select(User.id, User.username, User.email, User.email_notifications)
        .where(User.id.in_(list(by_member)))
        .order_by(User.id)
    ).all()
    found, urls = [], {}
    for member in members:
        digest = _digest_of(member, by_member[member.id], urls)
        if digest.contributions or digest.others:
            found.append(digest)
    db.session.rollback()
    return found


def _digest_of(member, rows: list, urls: dict) -> Digest:
    new = [r for r in rows if r.kind in NEW_CONTRIBUTIONS and r.comment_id is None]
    ranked = sorted(new, key=lambda r: (-r.score, -r.rating_count, r.contribution_id))
    candidates = sorted(
        (r for r in new if r.rating_count < FAIR_MAX_RATINGS),
        key=lambda r: (r.contributed_at, r.contribution_id),
        reverse=True,
    )
    ranked, chosen = place_fair_exposure(ranked, candidates, key=lambda r: r.contribution_id)
    contributions = [_entry(r, urls, r is chosen) for r in ranked[:SHOWN]]
    listed, others = {r.id for r in new}, []
    if member.email_notifications == "digest":
        others = [_entry(r, urls) for r in rows if r.id not in listed]
    return Digest(member, contributions, max(0, len(ranked) - SHOWN), others)


def _entry(row, urls: dict, new: bool = False) -> Entry:
    """A digest's line for a notification; links built once per run for each contribution."""
    item = item_of(row)
    if item.contribution_id not in urls:
        urls[item.contribution_id] = item_url(item)
    return Entry(item.text, urls[item.contribution_id], new)


def _email(digest: Digest, frequency: str, slot: datetime, links: dict) -> Email:
    from forum.services.email_accounts import unsubscribe_url

    member = digest.member
    context = {
        "username": member.username,
        "frequency": frequency,
        "contributions": digest.contributions,
        "more": digest.more,
        "others": digest.others,
        "inbox": links["inbox"],
        "settings": links["settings"],
    }
    # The HTML part from its own template (Markdown would cost more than the rest of an email).
    text = render_email("email/digest.txt", **context)
    html = render_email("email/digest.html", **context)
    period = "today" if frequency == "daily" else "this week"
    subject = f"New {period} in what you follow on Commonplace"
    return Email(
        _key(frequency, slot, member.id),
        member.email,
        subject,
        text,
        html=html,
        unsubscribe_url=unsubscribe_url(member),
    )
