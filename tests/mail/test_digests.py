"""Digests: what is new in what a member follows, most useful first with the fair-exposure slot
of the prompt pages, once per member per slot, and no email for a member with nothing new."""

from __future__ import annotations

import re
from datetime import timedelta

from forum import periodic
from forum.models.types import utcnow
from forum.services import following, moderation
from forum.services.digests import send_digests
from tests.factories import make_contribution, make_moderator, make_prompt, rate_many
from tests.mail.helpers import member


def next_slot(frequency: str):
    """The slot of the next digest run of that frequency: its period holds now."""
    schedule = periodic.JOBS[f"digests.{frequency}"].schedule
    return schedule.slot(utcnow() + (timedelta(weeks=1) if frequency == "weekly" else timedelta(1)))


def contribution_links(mail) -> list[int]:
    return [int(n) for n in re.findall(r"/contributions/(\d+)", mail.text)]


def test_the_weekly_digest_ranks_by_usefulness_with_the_newest_unrated_in_third_place(mailbox):
    prompt = make_prompt()
    reader = member(email_notifications="off")
    following.follow(reader, "prompt", prompt.id)
    best, good, fair = (make_contribution(prompt=prompt) for _ in range(3))
    older_unrated = make_contribution(prompt=prompt)
    newest_unrated = make_contribution(prompt=prompt)
    rate_many(best, [5] * 6)
    rate_many(good, [4] * 6)
    rate_many(fair, [3] * 6)

    assert send_digests("weekly", next_slot("weekly")) == 1

    (mail,) = mailbox.to(reader.email)
    assert mail.subject == "New this week in what you follow on Commonplace"
    order = [best.id, good.id, newest_unrated.id, fair.id, older_unrated.id]
    assert contribution_links(mail) == order
    assert re.search(rf"\*\*New:\*\* .*\n\s*<[^>]*/contributions/{newest_unrated.id}>", mail.text)
    assert mail.text.count("New:") == 1
    assert "New:" in mail.html
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_member_with_nothing_new_gets_no_digest(mailbox):
    prompt = make_prompt()
    watching = member(email_notifications="off")
    idle = member(email_notifications="off")
    following.follow(watching, "prompt", prompt.id)
    following.follow(idle, "prompt", make_prompt().id)
    make_contribution(prompt=prompt)

    send_digests("weekly", next_slot("weekly"))

    assert [mail.to for mail in mailbox.mails] == [watching.email]


def test_digests_go_to_confirmed_addresses_at_the_frequency_each_member_chose(mailbox):
    prompt = make_prompt()
    weekly = member(email_notifications="off")
    daily = member(email_notifications="off", digest="daily")
    unconfirmed = member(confirmed=False)
    no_digest = member(digest="off")
    for reader in (weekly, daily, unconfirmed, no_digest):
        following.follow(reader, "prompt", prompt.id)
    make_contribution(prompt=prompt)

    send_digests("weekly", next_slot("weekly"))
    send_digests("daily", next_slot("daily"))

    assert sorted(mail.to for mail in mailbox.mails) == sorted([weekly.email, daily.email])
    assert mailbox.to(daily.email)[0].subject == "New today in what you follow on Commonplace"


def test_hidden_content_is_never_in_a_digest(mailbox):
    prompt = make_prompt()
    reader = member(email_notifications="off")
    following.follow(reader, "prompt", prompt.id)
    kept = make_contribution(prompt=prompt)
    hidden = make_contribution(prompt=prompt, body="Buy cheap watches here.")
    moderation.hide(make_moderator(), hidden, "spam")

    send_digests("weekly", next_slot("weekly"))

    (mail,) = mailbox.to(reader.email)
    assert contribution_links(mail) == [kept.id]


def test_who_chose_the_digest_for_notifications_finds_their_other_news_there(mailbox):
    in_digest = member(email_notifications="digest")
    never = member(email_notifications="off")
    picked = [make_contribution(author=author) for author in (in_digest, never)]
    for contribution in picked:
        moderation.set_featured(make_moderator(), contribution, True)

    send_digests("weekly", next_slot("weekly"))

    (mail,) = mailbox.to(in_digest.email)
    assert "Also for you:" in mail.text
    assert "picked your contribution" in mail.text
    assert mailbox.to(never.email) == []  # "never by email": no notification in the digest


def test_tick_twice_for_the_digest_slot_sends_each_digest_once(runner, mailbox):
    prompt = make_prompt()
    reader = member(email_notifications="off")
    following.follow(reader, "prompt", prompt.id)
    make_contribution(prompt=prompt)
    at = (next_slot("weekly") + timedelta(minutes=5)).isoformat()

    first = runner.invoke(args=["tick", "--at", at])
    second = runner.invoke(args=["tick", "--at", at])

    assert "digests.weekly: done" in first.output
    assert first.exit_code == second.exit_code == 0, first.output
    assert len(mailbox.to(reader.email)) == 1


def test_a_digest_run_again_after_a_crash_sends_nothing_twice(mailbox):
    """The worker died after the emails, before the slot was recorded: the job runs again."""
    prompt = make_prompt()
    reader = member(email_notifications="off")
    following.follow(reader, "prompt", prompt.id)
    make_contribution(prompt=prompt)
    slot = next_slot("weekly")

    assert send_digests("weekly", slot) == 1
    assert send_digests("weekly", slot) == 0
    assert len(mailbox.to(reader.email)) == 1
