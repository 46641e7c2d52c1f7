"""On a prompt's page, without JavaScript: the evidence line every reader sees on a card, the "I
tried this" form a member uses to say what happened (never on their own contribution, never
while suspended), and what bad input gets back."""

from __future__ import annotations

import html
import re

import pytest

from forum.extensions import db
from forum.models import Contribution, Outcome
from forum.services import moderation, outcomes
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_user,
)
from tests.helpers import fresh, page_text, prompt_page


def tried_by(contribution, *reports) -> None:
    """One new member per (result, setting) reports trying the contribution."""
    for result, setting in reports:
        outcomes.report(make_user(), contribution, result, setting)


def card_html(response, contribution) -> str:
    """The markup of one contribution's card on a page."""
    markup = response.get_data(as_text=True)
    start = markup.index(f'id="c{contribution.id}"')
    end = markup.find("</article>", start)
    return markup[start:end]


def card_text(response, contribution) -> str:
    text = re.sub(r"<[^>]+>", " ", card_html(response, contribution))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def outcome_rows() -> int:
    return db.session.query(Outcome).count()


# --- the evidence line ----------------------------------------------------------------------


def test_a_card_nobody_tried_shows_no_evidence_line(client):
    contribution = make_contribution()
    assert "Tried by" not in page_text(prompt_page(client, contribution.prompt))


def test_a_card_says_how_many_tried_it_how_many_it_worked_for_and_where_mostly(client):
    contribution = make_contribution()
    tried_by(
        contribution,
        ("worked", "one_to_one"),
        ("worked", "one_to_one"),
        ("didnt", "group"),
        ("partly", None),
    )
    text = card_text(prompt_page(client, contribution.prompt), contribution)
    # 2 of the 3 reports that named a setting say one to one: more than half.
    assert "Tried by 4 · 2 worked · mostly 1:1" in text


@pytest.mark.parametrize(
    "reports",
    [
        # Half is not most.
        [("worked", "one_to_one"), ("worked", "group")],
        # No report named a setting.
        [("worked", None), ("partly", None), ("worked", None)],
        # One team, one group: reports without a setting do not count either way.
        [("worked", "team"), ("worked", "group"), ("worked", None), ("worked", None)],
    ],
)
def test_mostly_is_said_only_when_one_setting_holds_more_than_half_of_those_named(client, reports):
    contribution = make_contribution()
    tried_by(contribution, *reports)
    text = card_text(prompt_page(client, contribution.prompt), contribution)
    worked = sum(1 for result, _ in reports if result == "worked")
    assert f"Tried by {len(reports)} · {worked} worked" in text
    assert "mostly" not in text


def test_the_evidence_line_shows_on_the_cached_page_as_soon_as_someone_reports(client):
    contribution = make_contribution()
    assert "Tried by" not in page_text(prompt_page(client, contribution.prompt))  # now cached
    tried_by(contribution, ("worked", "team"))
    text = card_text(prompt_page(client, contribution.prompt), contribution)
    assert "Tried by 1 · 1 worked · mostly with teams" in text


# --- the form -------------------------------------------------------------------------------


def test_readers_who_are_not_signed_in_get_no_outcome_form(client):
    contribution = make_contribution()
    markup = prompt_page(client, contribution.prompt).text
    assert f'id="outcome-{contribution.id}"' not in markup
    assert "I tried this" not in markup


def test_a_member_gets_the_form_on_others_cards_and_not_on_their_own(client, login):
    member = make_user()
    prompt = make_prompt()
    theirs = make_contribution(prompt=prompt)
    own = make_contribution(prompt=prompt, author=member)
    login(member)
    response = prompt_page(client, prompt)
    form = card_html(response, theirs)
    assert f'id="outcome-{theirs.id}"' in form
    assert f'action="/contributions/{theirs.id}/outcome"' in form
    for value in ("worked", "partly", "didnt"):
        assert f'name="result" value="{value}"' in form
    assert 'name="setting"' in form and 'name="note"' in form
    assert "Only the author and moderators see your note." in form
    assert f'action="/contributions/{theirs.id}/save"' in form
    mine = card_html(response, own)
    assert f'id="outcome-{own.id}"' not in mine
    assert "/save" not in mine


def test_a_suspended_member_gets_no_form_and_cannot_post_one(client, login):
    contribution = make_contribution()
    member = make_user(suspended=True)
    login(member)
    markup = prompt_page(client, contribution.prompt).text
    assert f'id="outcome-{contribution.id}"' not in markup
    response = client.post(f"/contributions/{contribution.id}/outcome", data={"result": "worked"})
    assert response.status_code == 403
    assert outcome_rows() == 0


def test_a_member_reports_without_javascript_and_comes_back_to_the_card(client, login):
    contribution = make_contribution()
    member = make_user()
    login(member)
    back = f"/prompts/{contribution.prompt.id}/{contribution.prompt.slug}?sort=newest"
    response = client.post(
        f"/contributions/{contribution.id}/outcome",
        data={"result": "worked", "setting": "one_to_one", "note": "Thanks!", "next": back},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{back}#c{contribution.id}"
    page = client.get(response.headers["Location"])
    text = card_text(page, contribution)
    assert "Tried by 1 · 1 worked · mostly 1:1" in text
    assert "You tried this: it worked." in text
    assert "Thank you: your report is saved (it worked)." in page_text(page)
    row = fresh(Contribution, contribution.id)
    assert (row.outcome_count, row.outcome_worked) == (1, 1)
    mine = db.session.query(Outcome).one()
    assert (mine.user_id, mine.setting, mine.note) == (member.id, "one_to_one", "Thanks!")


def test_a_member_changes_and_then_removes_their_report(client, login):
    contribution = make_contribution()
    login(make_user())
    client.post(f"/contributions/{contribution.id}/outcome", data={"result": "worked"})
    client.post(f"/contributions/{contribution.id}/outcome", data={"result": "didnt"})
    response = prompt_page(client, contribution.prompt)
    assert "You tried this: it didn't work." in card_text(response, contribution)
    assert 'name="result" value="didnt" checked>' in card_html(response, contribution)
    row = fresh(Contribution, contribution.id)
    assert (row.outcome_count, row.outcome_worked, row.outcome_didnt) == (1, 0, 1)

    response = client.post(f"/contributions/{contribution.id}/outcome/delete")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#c{contribution.id}")
    page = client.get(response.headers["Location"])
    assert "Your report is removed." in page_text(page)
    assert "Tried by" not in card_text(page, contribution)
    assert "I tried this" in card_text(page, contribution)
    assert fresh(Contribution, contribution.id).outcome_count == 0


def test_one_members_outcome_reaches_nobody_elses_page(client, login):
    contribution = make_contribution()
    first, second = make_user(), make_user()
    login(first)
    client.post(f"/contributions/{contribution.id}/outcome", data={"result": "partly"})
    assert "You tried this: it partly worked." in prompt_page(client, contribution.prompt).text
    client.post("/logout")
    login(second)
    text = card_text(prompt_page(client, contribution.prompt), contribution)
    assert "You tried this" not in text
    assert "I tried this" in text
    assert "Tried by 1 · 0 worked" in text


BAD = [
    ({}, 422, "Choose what happened"),
    ({"result": "great"}, 422, "Choose what happened"),
    ({"result": "worked", "setting": "moon"}, 422, "Choose a setting from the list"),
    ({"result": "worked", "note": "x" * 1001}, 422, "Use at most 1000 characters"),
    # Refused before any view, as in every form (forum/security.py).
    ({"result": "worked", "note": "a\x00b"}, 400, "NUL"),
]


@pytest.mark.parametrize(("data", "status", "message"), BAD)
def test_bad_input_comes_back_with_the_reason_and_changes_nothing(
    client, login, data, status, message
):
    contribution = make_contribution()
    login(make_user())
    response = client.post(f"/contributions/{contribution.id}/outcome", data=data)
    assert response.status_code == status
    assert message in response.text
    if status == 422:
        assert f'id="outcome-{contribution.id}"' in response.text  # the form again, to fix it
    assert outcome_rows() == 0


def test_reporting_on_ones_own_a_hidden_or_a_missing_contribution_is_refused(client, login):
    member = make_user()
    own = make_contribution(author=member)
    hidden = make_contribution()
    moderation.hide(make_moderator(), hidden, "spam")
    login(member)
    own_report = client.post(f"/contributions/{own.id}/outcome", data={"result": "worked"})
    assert own_report.status_code == 403
    for ident in (hidden.id, 999_999):
        response = client.post(f"/contributions/{ident}/outcome", data={"result": "worked"})
        assert response.status_code == 404
        assert client.post(f"/contributions/{ident}/outcome/delete").status_code == 404
    assert outcome_rows() == 0


def test_a_reader_who_is_not_signed_in_is_sent_to_log_in(client):
    contribution = make_contribution()
    response = client.post(f"/contributions/{contribution.id}/outcome", data={"result": "worked"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert outcome_rows() == 0
