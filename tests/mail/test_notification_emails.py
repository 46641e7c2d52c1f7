"""Notification emails: a member who chose `immediately` gets what reached their inbox by email,
gathered per window of a few minutes (a burst is one email, not one per event), once, with a
plain-text and an HTML part and a one-click unsubscribe; never to an unconfirmed address, never of
their own act, never of content hidden since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from forum.extensions import db
from forum.models.types import utcnow
from forum.queue import queue_of
from forum.services import following, moderation, notification_email
from forum.services.notification_email import send_closed_windows
from tests.factories import make_contribution, make_moderator, make_prompt
from tests.helpers import page_text
from tests.mail.helpers import member, windows_closed


def test_a_burst_of_contributions_reaches_a_watcher_in_one_email_with_a_link_to_each(mailbox):
    prompt = make_prompt(title="Keeping volunteers motivated")
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    made = [make_contribution(prompt=prompt) for _ in range(3)]

    assert send_closed_windows(windows_closed()) == 1

    (mail,) = mailbox.to(reader.email)
    assert mail.subject == "3 new notifications on Commonplace"
    for contribution in made:
        mail.link(f"/contributions/{contribution.id}")
    assert mail.text.count("shared an experience on “Keeping volunteers motivated”") == 3
    assert "Keeping volunteers motivated" in mail.html
    assert mail["List-Unsubscribe"] == f"<{mail.link('/email/unsubscribe/')}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_same_window_is_never_emailed_twice(mailbox):
    prompt = make_prompt()
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    make_contribution(prompt=prompt)

    assert send_closed_windows(windows_closed()) == 1
    assert send_closed_windows(windows_closed() + timedelta(minutes=1)) == 0

    assert len(mailbox.to(reader.email)) == 1


def test_a_window_still_open_waits_until_it_has_closed(mailbox):
    prompt = make_prompt()
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    make_contribution(prompt=prompt)

    assert send_closed_windows(utcnow()) == 0
    assert mailbox.to(reader.email) == []

    send_closed_windows(windows_closed())
    assert len(mailbox.to(reader.email)) == 1


def test_only_confirmed_addresses_of_members_who_chose_immediately_get_one(mailbox):
    prompt = make_prompt()
    wanted = member()
    unconfirmed = member(confirmed=False)
    in_digest = member(email_notifications="digest")
    never = member(email_notifications="off")
    for reader in (wanted, unconfirmed, in_digest, never):
        following.follow(reader, "prompt", prompt.id)
    make_contribution(prompt=prompt)

    send_closed_windows(windows_closed())

    assert [mail.to for mail in mailbox.mails] == [wanted.email]


def test_nobody_is_emailed_of_their_own_contribution(mailbox):
    prompt = make_prompt()
    author = member()
    following.follow(author, "prompt", prompt.id)
    make_contribution(prompt=prompt, author=author)

    assert send_closed_windows(windows_closed()) == 0
    assert len(mailbox) == 0


def test_a_contribution_hidden_before_the_email_is_left_out_of_it(mailbox):
    prompt = make_prompt()
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    kept = make_contribution(prompt=prompt)
    hidden = make_contribution(prompt=prompt, body="Buy cheap watches here.")
    moderation.hide(make_moderator(), hidden, "spam")

    send_closed_windows(windows_closed())

    (mail,) = mailbox.to(reader.email)
    mail.link(f"/contributions/{kept.id}")
    assert f"/contributions/{hidden.id}" not in mail.text
    assert mail.subject.endswith("shared an experience on “" + prompt.title + "”")


def test_a_window_with_only_hidden_content_sends_nothing(mailbox):
    prompt = make_prompt()
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    moderation.hide(make_moderator(), make_contribution(prompt=prompt), "spam")

    send_closed_windows(windows_closed())

    assert mailbox.to(reader.email) == []


def test_the_worker_minute_sends_the_closed_windows_once(runner, mailbox):
    prompt = make_prompt()
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    make_contribution(prompt=prompt)
    at = windows_closed()

    first = runner.invoke(args=["tick", "--at", at.isoformat()])
    later = runner.invoke(args=["tick", "--at", (at + timedelta(minutes=1)).isoformat()])

    assert first.exit_code == later.exit_code == 0, first.output
    assert "notifications.email: done" in first.output
    assert len(mailbox.to(reader.email)) == 1


def test_the_settings_page_says_a_burst_comes_in_one_email(client, login):
    login(member())
    text = page_text(client.get("/settings"))
    assert "what arrives within five minutes comes in one email" in text
    assert "whatever you choose for notification emails" in text


def test_a_burst_queues_the_emailing_of_its_window_once(
    client_with, smtp_server, tmp_path, monkeypatch
):
    """Each delivery would queue it; one run per window is enough (the sweep does the rest)."""
    monkeypatch.setattr(
        notification_email, "utcnow", lambda: datetime(2026, 12, 7, 9, 1, tzinfo=UTC)
    )
    client = client_with(
        QUEUE_IMMEDIATE=False,
        QUEUE_PATH=str(tmp_path / "queue.db"),
        QUEUE_NAME="burst",
        **smtp_server.config,
    )
    queue = queue_of(client.application)
    prompt = make_prompt()
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    for _ in range(3):
        make_contribution(prompt=prompt)
        queue.run_pending()  # the worker delivers each as it comes

    assert queue.huey.scheduled_count() == 1


def test_a_display_name_written_as_markdown_is_shown_as_written_not_as_a_link_or_image(mailbox):
    """Names and titles are members' words: in the HTML part they must not become a link
    ("Reset your password") or an image that tells its owner when the email is opened."""
    prompt = make_prompt(title="Keeping ![p](https://evil.example/p.png) volunteers motivated")
    reader = member()
    following.follow(reader, "prompt", prompt.id)
    author = member()
    author.display_name = "[Reset your password](https://evil.example/x)"
    db.session.commit()
    make_contribution(prompt=prompt, author=author)

    assert send_closed_windows(windows_closed()) == 1

    (mail,) = mailbox.to(reader.email)
    assert 'href="https://evil.example' not in mail.html
    assert "<img" not in mail.html
    assert "[Reset your password](https://evil.example/x)" in mail.html
    assert f'href="{mail.link("/contributions/")}"' in mail.html
    assert f'href="{mail.link("/email/unsubscribe/")}"' in mail.html
