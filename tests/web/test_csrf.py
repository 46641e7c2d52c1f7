"""With CSRF protection on (as in production), a form post needs the token from the page."""

from __future__ import annotations

import time

import pytest

from forum.extensions import db
from forum.models import Contribution
from tests.factories import PASSWORD, make_prompt, make_user
from tests.helpers import csrf_token


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def log_in_through_the_form(client, user) -> None:
    login_page = client.get("/login")
    client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrf_token": csrf_token(login_page),
        },
    )


def test_a_post_without_the_token_is_refused_and_nothing_is_written(client):
    user = make_user()
    prompt = make_prompt()
    log_in_through_the_form(client, user)
    refused = client.post(f"/prompts/{prompt.id}/contributions", data={"body": "Forged post."})
    assert refused.status_code == 400
    assert "CSRF" in refused.get_data(as_text=True)
    assert db.session.query(Contribution).count() == 0

    page = client.get(f"/prompts/{prompt.id}/{prompt.slug}")
    accepted = client.post(
        f"/prompts/{prompt.id}/contributions",
        data={"body": "A real post.", "csrf_token": csrf_token(page)},
    )
    assert accepted.status_code == 302
    assert [c.body for c in db.session.query(Contribution).all()] == ["A real post."]


def test_logging_in_without_the_token_is_refused(client):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_with_a_time_limit_a_page_never_gives_a_token_older_than_a_sixtieth_of_it(
    client, app, monkeypatch
):
    """Tokens are signed once per session and given again (signing is much of what a member's
    page costs); with a time limit set, a page's token is re-signed after a sixtieth of it, so
    a form opened on any page has nearly the whole limit to be sent."""
    from forum import kept

    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    clock = [1000.0]
    monkeypatch.setattr(kept, "clock", lambda: clock[0])
    user, prompt = make_user(), make_prompt()
    log_in_through_the_form(client, user)
    page = f"/prompts/{prompt.id}/{prompt.slug}"
    first = csrf_token(client.get(page))
    assert csrf_token(client.get(page)) == first  # the same second: given again
    clock[0] += 61
    now = time.time
    monkeypatch.setattr(time, "time", lambda: now() + 61)  # the second in signed tokens moves
    fresh = csrf_token(client.get(page))
    assert fresh != first
    sent = client.post(
        f"/prompts/{prompt.id}/contributions", data={"body": "A real post.", "csrf_token": fresh}
    )
    assert sent.status_code == 302
    assert db.session.query(Contribution).count() == 1
