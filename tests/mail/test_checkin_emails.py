"""The check-in by email: a member who chose `immediately` is asked how a saved strategy went
by email too, once, with a link to the outcome form; one who chose otherwise is not emailed."""

from __future__ import annotations

from datetime import timedelta

from forum.services import checkins, playbook
from forum.services.notification_email import send_closed_windows
from tests.factories import make_contribution, make_prompt, make_user
from tests.mail.conftest import path_of
from tests.mail.helpers import member, windows_closed


def test_a_member_who_chose_immediately_is_asked_by_email_once(client, mailbox):
    prompt = make_prompt(title="Onboarding a shy volunteer")
    strategy = make_contribution(prompt=prompt, author=make_user(display_name="Ada Byrne"))
    saver, quiet = member(), member(email_notifications="digest")
    row = playbook.save(saver, strategy)
    playbook.save(quiet, strategy)

    assert checkins.raise_checkins(row.remind_at + timedelta(minutes=1)) == 2
    send_closed_windows(windows_closed())
    send_closed_windows(windows_closed())

    (mail,) = mailbox.to(saver.email)
    # (A long subject is folded on its way: the reader's client unfolds it.)
    asked = "How did it go with Ada Byrne's strategy on “Onboarding a shy volunteer”?"
    assert mail.subject.strip() == asked
    assert asked in mail.text
    link = mail.link(f"/contributions/{strategy.id}/how-it-went")
    assert mailbox.to(quiet.email) == []
    answer = client.get(path_of(link))
    assert answer.status_code == 302
    assert answer.location.endswith(f"#outcome-{strategy.id}")
