"""Moderators' buttons where the content is: hide / restore / feature on the prompt page, lock and
unlock a prompt, suspend, purge and (admins) set roles from a profile. Each lands in the log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, ModerationAction, Prompt, User
from forum.services import moderation
from tests.factories import (
    make_admin,
    make_contribution,
    make_moderator,
    make_prompt,
    make_user,
)
from tests.helpers import fresh, page_text, prompt_page
from tests.moderation.helpers import audit_lines


def test_a_moderator_sees_hide_and_feature_buttons_and_a_member_does_not(client, login):
    contribution = make_contribution()
    login(make_user())
    assert "Feature" not in page_text(prompt_page(client, contribution.prompt))

    login(make_moderator())
    text = page_text(prompt_page(client, contribution.prompt))
    assert "Hide this contribution" in text and "Feature" in text and "Lock prompt" in text


def test_hiding_from_the_prompt_page_keeps_it_listed_for_moderators_marked_with_the_reason(
    client, login
):
    contribution = make_contribution(body="A contribution to hide.")
    login(make_moderator())

    response = client.post(f"/contributions/{contribution.id}/hide", data={"reason": "rude tone"})

    assert response.status_code == 302
    row = fresh(Contribution, contribution.id)
    assert (row.status, row.hidden_reason) == ("hidden", "rude tone")
    assert audit_lines()[-1] == ("hide", "contribution", contribution.id)
    text = page_text(prompt_page(client, contribution.prompt))
    assert "Hidden: rude tone" in text and "A contribution to hide." in text and "Restore" in text


def test_hiding_without_a_reason_is_refused_with_a_message(client, login):
    contribution = make_contribution()
    login(make_moderator())

    response = client.post(
        f"/contributions/{contribution.id}/hide", data={"reason": "  "}, follow_redirects=True
    )

    assert "Say why: the author will see the reason." in page_text(response)
    assert fresh(Contribution, contribution.id).status == "visible"


def test_restoring_makes_the_contribution_visible_again_and_is_logged(client, login):
    moderator = make_moderator()
    contribution = make_contribution()
    moderation.hide(moderator, contribution, "by mistake")
    login(moderator)

    client.post(f"/contributions/{contribution.id}/restore")

    row = fresh(Contribution, contribution.id)
    assert (row.status, row.hidden_reason) == ("visible", "")
    assert audit_lines()[-1] == ("restore", "contribution", contribution.id)
    assert fresh(Prompt, contribution.prompt_id).contribution_count == 1


def test_featuring_and_unfeaturing_toggle_the_badge_and_are_logged(client, login):
    contribution = make_contribution()
    login(make_moderator())

    client.post(f"/contributions/{contribution.id}/feature")
    assert fresh(Contribution, contribution.id).featured is True
    assert "Editor's pick" in page_text(prompt_page(client, contribution.prompt))

    client.post(f"/contributions/{contribution.id}/unfeature")
    assert fresh(Contribution, contribution.id).featured is False
    actions = [line[0] for line in audit_lines()[-2:]]
    assert actions == ["feature", "unfeature"]


def latest_reason() -> str:
    db.session.expire_all()
    return db.session.scalar(select(ModerationAction.reason).order_by(ModerationAction.id.desc()))


def test_locking_asks_why_and_unlocking_a_prompt_change_its_status_and_are_logged(client, login):
    prompt = make_prompt()
    login(make_moderator())

    refused = client.post(f"/prompts/{prompt.id}/lock", data={"reason": "  "})
    assert refused.status_code == 400 and "Say why the prompt is locked." in page_text(refused)
    assert fresh(Prompt, prompt.id).status == "open"

    client.post(f"/prompts/{prompt.id}/lock", data={"reason": "Answered enough"})
    assert fresh(Prompt, prompt.id).status == "locked"
    assert latest_reason() == "Answered enough"
    text = page_text(prompt_page(client, prompt))
    assert "This prompt is locked." in text and "Unlock prompt" in text

    client.post(f"/prompts/{prompt.id}/unlock")
    assert fresh(Prompt, prompt.id).status == "open"
    assert audit_lines()[-2:] == [
        ("status_locked", "prompt", prompt.id),
        ("status_open", "prompt", prompt.id),
    ]


def test_suspending_from_the_profile_shows_the_suspension_there(client, login):
    member = make_user()
    login(make_moderator())
    until = date.today() + timedelta(days=7)

    client.post(f"/u/{member.username}/suspend", data={"reason": "insults", "until": until})

    row = fresh(User, member.id)
    assert (row.status, row.suspension_reason) == ("suspended", "insults")
    assert row.suspended_until == datetime.combine(until, datetime.min.time(), tzinfo=UTC)
    assert audit_lines()[-1] == ("suspend", "user", member.id)
    text = page_text(client.get(f"/u/{member.username}"))
    assert "Suspended until" in text and "Reason: insults" in text and "Lift the suspension" in text


def test_a_profile_whose_suspension_has_ended_shows_an_active_member(client, login):
    moderator, member = make_moderator(), make_user()
    moderation.suspend(moderator, member, "cool off", until=datetime.now(UTC) + timedelta(days=1))
    row = fresh(User, member.id)
    row.suspended_until = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    login(moderator)

    text = page_text(client.get(f"/u/{member.username}"))

    assert "Suspended" not in text and "(suspended)" not in text
    assert "Lift the suspension" not in text and "Suspend: they can read but not write" in text


def test_a_suspension_ending_in_the_past_is_refused(client, login):
    member = make_user()
    login(make_moderator())

    response = client.post(
        f"/u/{member.username}/suspend",
        data={"reason": "x", "until": date.today() - timedelta(days=1)},
        follow_redirects=True,
    )

    assert "The end of a suspension lies in the future." in page_text(response)
    assert fresh(User, member.id).status == "active"


def test_lifting_a_suspension_lets_the_member_write_again(client, login):
    moderator = make_moderator()
    member = make_user()
    moderation.suspend(moderator, member, "cool off")
    login(moderator)

    client.post(f"/u/{member.username}/unsuspend")

    assert fresh(User, member.id).status == "active"
    assert audit_lines()[-1] == ("unsuspend", "user", member.id)


def test_an_admin_changes_a_role_from_the_profile_and_a_moderator_sees_no_role_form(client, login):
    member = make_user()
    login(make_moderator())
    assert "Change role" not in page_text(client.get(f"/u/{member.username}"))

    login(make_admin())
    assert "Change role" in page_text(client.get(f"/u/{member.username}"))
    client.post(f"/u/{member.username}/role", data={"role": "moderator"})

    assert fresh(User, member.id).role == "moderator"
    assert audit_lines()[-1] == ("set_role", "user", member.id)


def test_a_moderator_cannot_suspend_another_moderator(client, login):
    other = make_moderator()
    login(make_moderator())

    response = client.post(f"/u/{other.username}/suspend", data={"reason": "no"})

    assert response.status_code == 403
    assert fresh(User, other.id).status == "active"
