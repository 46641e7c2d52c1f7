"""The `outcome` notification by email: an author who chose `immediately` hears that someone
tried their strategy and what happened, never of a contribution hidden since."""

from __future__ import annotations

from forum.services import moderation, outcomes
from forum.services.notification_email import send_closed_windows
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.mail.helpers import member, windows_closed


def test_the_author_is_emailed_who_tried_their_strategy_and_how_it_went(mailbox):
    author = member()
    prompt = make_prompt(title="How do you keep volunteers?")
    made = make_contribution(prompt=prompt, author=author)

    outcomes.report(make_user(display_name="Ana"), made, "partly", "group", "a private note")

    assert send_closed_windows(windows_closed()) == 1
    (mail,) = mailbox.to(author.email)
    told = "Ana tried your strategy on “How do you keep volunteers?”: it partly worked"
    assert mail["Subject"] == told  # unfolded: a subject this long arrives over two lines
    mail.link(f"/contributions/{made.id}")
    assert "a private note" not in mail.text and "a private note" not in mail.html


def test_no_email_of_an_outcome_on_a_contribution_hidden_since(mailbox):
    author = member()
    made = make_contribution(author=author)
    outcomes.report(make_user(), made, "worked")
    moderation.hide(make_moderator(), made, "spam")

    send_closed_windows(windows_closed())

    # The author hears of the moderator's act, not of the outcome on what is hidden.
    (mail,) = mailbox.to(author.email)
    assert "A moderator hid your contribution" in mail.text
    assert "tried your strategy" not in mail.text
