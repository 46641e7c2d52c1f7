"""With CSRF protection on (as in production), a form post needs the token from the page."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Contribution
from tests.factories import PASSWORD, make_prompt, make_user
from tests.helpers import csrf_token


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def test_a_post_without_the_token_is_refused_and_nothing_is_written(client):
    user = make_user()
    prompt = make_prompt()
    login_page = client.get("/login")
    client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrf_token": csrf_token(login_page),
        },
    )
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
