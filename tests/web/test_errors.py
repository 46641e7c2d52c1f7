"""Errors are friendly HTML pages in the site layout, never a bare traceback."""

from __future__ import annotations

from forum.extensions import db
from forum.models import Contribution, Rating
from tests.factories import PASSWORD, make_contribution, make_prompt, make_user
from tests.helpers import page_text


def test_an_unknown_page_is_a_friendly_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    text = page_text(response)
    assert "We could not find that page" in text
    assert "Commonplace" in text and "Log in" in text  # inside the site layout
    assert response.headers["Content-Security-Policy"]


def test_an_unknown_prompt_or_topic_is_a_404_page(client):
    assert "No such prompt." in page_text(client.get("/prompts/4040/anything"))
    assert client.get("/prompts/4040").status_code == 404
    assert client.get("/topics/nowhere").status_code == 404


def test_a_forbidden_action_is_a_friendly_403_page(client, login):
    login(make_user())
    response = client.get("/prompts/new")
    assert response.status_code == 403
    assert "You cannot do that here" in page_text(response)
    assert "Only moderators create prompts." in page_text(response)


def test_a_conflict_says_what_the_state_forbids(client, login):
    prompt = make_prompt(status="archived")
    login(make_user())
    response = client.post(f"/prompts/{prompt.id}/contributions", data={"body": "Late"})
    assert response.status_code == 409
    assert "That cannot be done right now" in page_text(response)
    assert "archived" in page_text(response)


def test_a_wrong_method_is_a_friendly_405_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "That does not work this way" in page_text(response)


def test_an_unexpected_failure_is_a_calm_500_page(app, client):
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", view_func=broken)
    response = client.get("/broken")
    assert response.status_code == 500
    text = page_text(response)
    assert "Something went wrong on our side" in text
    assert "boom" not in text and "Traceback" not in text


def test_too_many_login_attempts_get_a_429_page_that_says_to_wait(limited_client):
    for _ in range(2):
        assert (
            limited_client.post("/login", data={"username": "x", "password": "y"}).status_code
            == 200
        )
    response = limited_client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 429
    assert "Please wait a minute and try again." in page_text(response)
    assert int(response.headers["Retry-After"]) > 0
    assert limited_client.get("/login").status_code == 200  # reading the form is not limited


def test_a_member_writing_too_fast_is_asked_to_wait(limited_client):
    contribution = make_contribution()
    user = make_user()
    limited_client.post("/login", data={"username": user.username, "password": PASSWORD})
    rate = f"/contributions/{contribution.id}/rating"
    for score in ("4", "5"):
        assert limited_client.post(rate, data={"score": score}).status_code == 302
    response = limited_client.post(rate, data={"score": "1"})
    assert response.status_code == 429
    assert "Please wait a minute and try again." in page_text(response)
    assert db.session.query(Rating).one().score == 5


def test_nothing_is_written_when_a_request_fails(client, login):
    prompt = make_prompt(status="locked")
    login(make_user())
    client.post(f"/prompts/{prompt.id}/contributions", data={"body": "No"})
    assert db.session.query(Contribution).count() == 0
