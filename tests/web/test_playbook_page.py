"""The playbook page: a member saves a strategy from a plain form (CSRF, back to the page it was
on), finds it in their playbook with its state and reminder date, changes the reminder, goes to
report how it went, and removes it; bad input is a 4xx page, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import SavedStrategy
from forum.models.types import utcnow
from forum.services import moderation, outcomes, playbook
from tests.factories import (
    PASSWORD,
    make_contribution,
    make_moderator,
    make_prompt,
    make_user,
)
from tests.helpers import csrf_token, page_text

ENHANCED = {"Accept": "application/json", "X-Requested-With": "commonplace-enhance"}


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def member(client):
    """A member signed in through the login form."""
    user = make_user()
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrf_token": csrf_token(client.get("/login")),
        },
    )
    assert response.status_code == 302
    return user


def token(client) -> str:
    return csrf_token(client.get("/settings"))


def press_save(client, contribution_id, remind="", back="/playbook", **extra):
    data = {"csrf_token": token(client), "next": back, "remind_in_days": remind, **extra}
    return client.post(f"/contributions/{contribution_id}/save", data=data)


def press_remove(client, contribution_id, back="/playbook"):
    data = {"csrf_token": token(client), "next": back}
    return client.post(f"/contributions/{contribution_id}/unsave", data=data)


def saved_row(user, contribution) -> SavedStrategy | None:
    db.session.expire_all()
    return db.session.scalar(
        select(SavedStrategy).where(
            SavedStrategy.user_id == user.id, SavedStrategy.contribution_id == contribution.id
        )
    )


def day(value) -> str:
    return f"{value.day} {value:%b %Y}"


def test_readers_who_are_not_signed_in_are_sent_to_log_in(client):
    response = client.get("/playbook")

    assert response.status_code == 302
    assert "/login" in response.location


def test_an_empty_playbook_says_how_to_save_a_strategy(client, member):
    response = client.get("/playbook")

    assert response.status_code == 200
    text = page_text(response)
    assert "Your playbook is empty" in text
    assert "Save to try" in text


def test_the_header_links_to_the_playbook(client, member):
    assert 'href="/playbook"' in client.get("/").text


def test_saving_from_a_page_comes_back_to_it_and_the_playbook_lists_it(client, member):
    prompt = make_prompt(title="Giving feedback that lands")
    strategy = make_contribution(
        prompt=prompt, author=make_user(display_name="Mia Chen"), body="Ask first: *may I?*"
    )
    back = f"/prompts/{prompt.id}/{prompt.slug}"

    response = press_save(client, strategy.id, back=back)

    assert response.status_code == 302 and response.location.endswith(back)
    row = saved_row(member, strategy)
    assert row is not None
    page = client.get("/playbook")
    text = page_text(page)
    assert "Saved to your playbook: we will ask you how it went on" in text  # the flash
    assert "Mia Chen's strategy on “Giving feedback that lands”" in text
    assert "Ask first: may I?" in text
    assert "To try" in text
    assert f"reminder {day(row.remind_at)}" in text
    assert f'href="/contributions/{strategy.id}/how-it-went"' in page.text
    assert 'aria-current="page">Playbook' in page.text


def test_changing_the_reminder_moves_its_date(client, member):
    strategy = make_contribution()
    press_save(client, strategy.id)

    response = press_save(client, strategy.id, remind="60")

    assert response.status_code == 302 and response.location.endswith("/playbook")
    row = saved_row(member, strategy)
    assert row.remind_at - utcnow() > timedelta(days=59)
    page = client.get("/playbook")
    assert f"reminder {day(row.remind_at)}" in page_text(page)
    assert '<option value="60" selected>' in page.text  # the list shows the reminder chosen


def test_removing_takes_it_out_of_the_playbook(client, member):
    strategy = make_contribution()
    press_save(client, strategy.id)

    response = press_remove(client, strategy.id)

    assert response.status_code == 302 and response.location.endswith("/playbook")
    assert saved_row(member, strategy) is None
    text = page_text(client.get("/playbook"))
    assert "Removed from your playbook." in text
    assert "Your playbook is empty" in text


def test_states_show_when_a_check_in_is_due_and_how_it_went(client, member):
    prompt = make_prompt()
    due, tried = make_contribution(prompt=prompt), make_contribution(prompt=prompt)
    for contribution in (due, tried):
        playbook.save(member, contribution)
    row = saved_row(member, due)
    row.remind_at = utcnow() - timedelta(days=1)
    db.session.commit()
    outcomes.report(member, tried, "worked")

    text = page_text(client.get("/playbook"))

    assert "Check-in due" in text
    assert "Tried: it worked" in text


def test_a_strategy_hidden_since_shows_as_no_longer_available_and_can_be_removed(client, member):
    strategy = make_contribution(body="A method nobody should read any more.")
    playbook.save(member, strategy)
    moderation.hide(make_moderator(), strategy, "spam")

    text = page_text(client.get("/playbook"))

    assert "no longer available" in text
    assert "nobody should read" not in text
    assert press_remove(client, strategy.id).status_code == 302
    assert saved_row(member, strategy) is None


def test_the_playbook_is_paged(client, member):
    prompt = make_prompt()
    made = [make_contribution(prompt=prompt, body=f"Idea number {n}.") for n in range(21)]
    for contribution in made:
        playbook.save(member, contribution)

    first, second = client.get("/playbook"), client.get("/playbook?page=2")

    assert "Idea number 20." in page_text(first) and "Idea number 0." not in page_text(first)
    assert "Idea number 0." in page_text(second)
    assert 'href="/playbook?page=2"' in first.text


def test_an_enhanced_save_answers_with_the_button_as_it_now_is(client, member):
    strategy = make_contribution()
    data = {"csrf_token": token(client), "next": "/"}

    saved = client.post(f"/contributions/{strategy.id}/save", data=data, headers=ENHANCED)
    removed = client.post(f"/contributions/{strategy.id}/unsave", data=data, headers=ENHANCED)

    assert saved.status_code == removed.status_code == 200
    assert "Remove from playbook" in saved.get_json()["form_html"]
    assert saved.get_json()["message"].startswith("Saved to your playbook")
    assert "Save to try" in removed.get_json()["form_html"]
    assert removed.get_json()["message"] == "Removed from your playbook."
    assert saved_row(member, strategy) is None


@pytest.mark.parametrize("remind", ["0", "91", "abc", "7.5", "1e3"])
def test_a_reminder_outside_1_to_90_days_is_a_422_page(client, member, remind):
    strategy = make_contribution()

    response = press_save(client, strategy.id, remind=remind)

    assert response.status_code == 422
    assert "A reminder is a whole number of days from 1 to 90." in page_text(response)
    assert saved_row(member, strategy) is None


def test_bad_posts_are_4xx_pages(client, member):
    own = make_contribution(author=member)
    hidden = make_contribution()
    moderation.hide(make_moderator(), hidden, "spam")
    strategy = make_contribution()

    no_token = client.post(f"/contributions/{strategy.id}/save", data={"next": "/"})
    no_token_remove = client.post(f"/contributions/{strategy.id}/unsave", data={})

    assert (no_token.status_code, no_token_remove.status_code) == (400, 400)
    assert press_save(client, own.id).status_code == 403
    assert press_save(client, hidden.id).status_code == 404
    assert press_save(client, 999_999).status_code == 404
    assert press_save(client, 2**40).status_code == 404
    assert press_remove(client, hidden.id).status_code == 404
    assert saved_row(member, strategy) is None


def test_a_redirect_back_never_leaves_the_site(client, member):
    strategy = make_contribution()

    response = press_save(client, strategy.id, back="//evil.example/")

    assert response.status_code == 302
    assert response.location.endswith(f"/contributions/{strategy.id}")


def test_anonymous_posts_are_sent_to_log_in(client):
    strategy = make_contribution()

    response = client.post(f"/contributions/{strategy.id}/save", data={})

    assert response.status_code in (302, 400)
    assert db.session.scalar(select(SavedStrategy.id)) is None


def test_how_it_went_of_a_hidden_contribution_is_not_found(client):
    hidden = make_contribution()
    moderation.hide(make_moderator(), hidden, "spam")

    assert client.get(f"/contributions/{hidden.id}/how-it-went").status_code == 404


def test_removing_the_last_entry_of_the_last_page_comes_back_to_a_page_with_entries(client, member):
    prompt = make_prompt()
    made = [make_contribution(prompt=prompt) for _ in range(21)]
    for contribution in made:
        playbook.save(member, contribution)

    press_remove(client, made[0].id, back="/playbook?page=2")
    response = client.get("/playbook?page=2")

    assert response.status_code == 302 and response.location.endswith("/playbook?page=1")
