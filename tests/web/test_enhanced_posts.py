"""static/enhance.js posts the rating and helpful forms with fetch() and asks for JSON: the same
views answer with the changed pieces of the page instead of a redirect; CSRF is still required."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Rating
from tests.factories import PASSWORD, make_contribution, make_user
from tests.helpers import csrf_token

ENHANCED = {"Accept": "application/json", "X-Requested-With": "commonplace-enhance"}


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def member_token(client):
    """Log a new member in through the form; the CSRF token of their session."""
    user = make_user()
    client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrf_token": csrf_token(client.get("/login")),
        },
    )
    return csrf_token(client.get("/settings"))


def test_an_enhanced_rating_answers_json_with_the_new_usefulness_line(client, member_token):
    contribution = make_contribution()
    response = client.post(
        f"/contributions/{contribution.id}/rating",
        data={"score": "4", "csrf_token": member_token},
        headers=ENHANCED,
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["my_rating"] == 4 and data["rating_count"] == 1
    assert (
        '4.0</strong><span class="visually-hidden"> out of 5</span> from 1 rating'
        in data["usefulness_html"]
    )
    assert 'class="usefulness"' in data["usefulness_html"]
    assert "Your rating: 4" in data["form_html"] and "Remove" in data["form_html"]
    assert "Your rating of 4 is saved." in data["notice_html"]
    assert data["message"] == "Your rating of 4 is saved."
    assert db.session.query(Rating).one().score == 4
    # Nothing was flashed for a later page: the script showed the message already.
    assert "Your rating of 4 is saved." not in client.get("/").text


def test_an_enhanced_rating_without_the_csrf_token_is_refused(client, member_token):
    contribution = make_contribution()
    response = client.post(
        f"/contributions/{contribution.id}/rating", data={"score": "4"}, headers=ENHANCED
    )
    assert response.status_code == 400
    assert db.session.query(Rating).count() == 0


def test_an_enhanced_rating_without_a_score_answers_422_json(client, member_token):
    contribution = make_contribution()
    response = client.post(
        f"/contributions/{contribution.id}/rating",
        data={"csrf_token": member_token},
        headers=ENHANCED,
    )
    assert response.status_code == 422
    assert response.get_json() == {"message": "Choose a score from 1 to 5."}


def test_an_enhanced_helpful_vote_answers_json_with_the_counts(client, member_token):
    prompt = make_contribution().prompt
    response = client.post(
        f"/prompts/{prompt.id}/helpful",
        data={"helpful": "yes", "csrf_token": member_token},
        headers=ENHANCED,
    )
    assert response.status_code == 200
    data = response.get_json()
    assert (data["helpful_yes"], data["helpful_no"], data["my_rating"]) == (1, 0, True)
    assert "1 yes · 0 no" in data["counts_html"]
    assert 'aria-pressed="true">Yes, helpful' in data["forms_html"]
    assert "Withdraw my vote" in data["forms_html"]


def test_without_the_header_the_same_post_still_redirects(client, member_token):
    contribution = make_contribution()
    response = client.post(
        f"/contributions/{contribution.id}/rating",
        data={"score": "2", "csrf_token": member_token},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 302
