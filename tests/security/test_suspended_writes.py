"""A suspended member reads but does not write, through the pages and the API alike: every write
route of the app refuses them (403) and changes nothing, except the few that only take access
away (logging out, changing the password, revoking one's own token) or touch only what reaches
the account itself (following, muting, marking notifications read, its email settings)."""

from __future__ import annotations

import re
from itertools import product
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ApiToken, User
from forum.services import accounts, comments, following, moderation
from tests.api.helpers import assert_error
from tests.factories import (
    PASSWORD,
    auth,
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
)
from tests.helpers import fresh, page_text
from tests.moderation.helpers import flag_it

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# The writes a suspended account may still send: each only takes its own access away.
STILL_ALLOWED = {
    "accounts.logout",
    "settings.password",
    "settings.revoke_token",
    "api_accounts.revoke_token",
    # What reaches the account itself (following, muting, its inbox): nothing reaches others.
    "following.follow",
    "following.unfollow",
    "following.read",
    "api_following.put_subscription",
    "api_following.delete_subscription",
    "api_following.mark_read",
    # The email it gets; PATCH /me refuses the public fields (tests/mail/test_mail_settings.py).
    "settings.notifications",
    "api_accounts.update_me",
}
NEW_PASSWORD = "a brand new password"


@pytest.fixture
def app_config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def make_world():
    moderator, member, other = make_moderator(), make_user(), make_user()
    topic = make_topic()
    prompt = make_prompt(author=moderator, topic=topic)
    own = make_contribution(prompt=prompt, author=member, body="My own answer.")
    theirs = make_contribution(prompt=prompt, author=other, body="Their answer.")
    flag = flag_it(theirs, reporter=member)
    own_comment = comments.create_comment(member, theirs, "My own question.")
    their_comment = comments.create_comment(other, own, "Their question.")
    subscription = following.follow(member, "prompt", prompt.id)
    moderation.suspend(moderator, member, "spam")
    token, secret = accounts.create_token(member, "old script")
    return SimpleNamespace(
        member=member,
        secret=secret,
        topic=topic,
        # Every path argument of the app, with the values worth trying for a suspended member.
        values={
            "contribution_id": [own.id, theirs.id],
            "prompt_id": [prompt.id],
            "flag_id": [flag.id],
            "comment_id": [own_comment.id, their_comment.id],
            "token_id": [token.id],
            "subscription_id": [subscription.id],
            "username": [member.username, other.username],
            "token": ["a-link-nobody-was-sent"],  # emailed links' tokens
        },
    )


def form_body(world, csrf_token: str) -> dict:
    """Fields that most of the forms accept, so a write that is let through would change
    something."""
    return {
        "csrf_token": csrf_token,
        "body": "Written while suspended.",
        "display_name": "Suspended Rename",
        "headline": "Written while suspended",
        "bio": "Written while suspended.",
        "name": "token made while suspended",
        "score": "5",
        "helpful": "yes",
        "reason": "spam",
        "note": "written while suspended",
        "action": "hide",
        "role": "admin",
        "title": "A prompt written while suspended?",
        "intro": "Written while suspended.",
        "topic": world.topic.slug,
        "username": world.member.username,
        "password": PASSWORD,
        "email": "suspended-again@example.org",
    }


JSON_BODIES = {
    "api_accounts.register": lambda w: {
        "username": "second_account",
        "email": "second@example.org",
        "password": "long enough password",
    },
    "api_accounts.create_token": lambda w: {"name": "token made while suspended"},
    "api_accounts.update_me": lambda w: {"display_name": "Suspended Rename"},
    "api_accounts.set_role": lambda w: {"role": "admin"},
    "api_contributions.create_contribution": lambda w: {"body": "Written while suspended."},
    "api_contributions.edit_contribution": lambda w: {"body": "Written while suspended."},
    "api_contributions.rate_contribution": lambda w: {"score": 5},
    "api_contributions.flag_contribution": lambda w: {"reason": "spam"},
    "api_prompts.create_prompt": lambda w: {
        "title": "A prompt written while suspended?",
        "intro": "Written while suspended.",
        "topic": w.topic.slug,
        "key_points": [{"title": "One", "body": "Point."}],
    },
    "api_prompts.update_prompt": lambda w: {"title": "Retitled while suspended?"},
    "api_prompts.rate_prompt": lambda w: {"helpful": True},
    "api_topics.create_topic": lambda w: {"slug": "new-topic", "name": "New", "description": "."},
    "api_moderation.hide": lambda w: {"reason": "spam"},
    "api_moderation.suspend": lambda w: {"reason": "spam"},
    "api_moderation.purge": lambda w: {"reason": "spam"},
    "api_moderation.resolve_flag": lambda w: {"action": "hide"},
    "api_comments.create_comment": lambda w: {"body": "Written while suspended."},
    "api_comments.edit_comment": lambda w: {"body": "Written while suspended."},
    "api_comments.flag_comment": lambda w: {"reason": "spam"},
    "api_comments.hide_comment": lambda w: {"reason": "spam"},
}


def write_requests(app, world):
    """(endpoint, method, url) of every write the app routes, once per value of its arguments."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & WRITES):
            names = sorted(set(re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule.rule)))
            for values in product(*(world.values[name] for name in names)):
                url = re.sub(
                    r"<(?:[^:>]+:)?([^>]+)>",
                    lambda m, given=dict(zip(names, values, strict=True)): str(given[m.group(1)]),
                    rule.rule,
                )
                yield rule.endpoint, method, url


def everything_stored() -> dict[str, list]:
    """Every row of every table, to tell whether a request changed anything at all."""
    db.session.rollback()
    return {
        table.name: sorted(map(repr, db.session.execute(select(table)).all()))
        for table in db.metadata.sorted_tables
    }


def csrf_token_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def log_in_with_csrf(client, user, password: str = PASSWORD) -> str:
    """Log in through the form as a browser does; the session's CSRF token."""
    data = {"username": user.username, "password": password}
    data["csrf_token"] = csrf_token_of(client.get("/login"))
    assert client.post("/login", data=data).status_code == 302
    return csrf_token_of(client.get("/settings"))


def test_every_write_through_the_pages_refuses_a_suspended_member_and_changes_nothing(client):
    world = make_world()
    csrf_token = log_in_with_csrf(client, world.member)
    requests = [r for r in write_requests(client.application, world) if "/api/" not in r[2]]

    let_through = []
    for endpoint, method, url in requests:
        if endpoint in STILL_ALLOWED:
            continue
        before = everything_stored()
        response = client.open(url, method=method, data=form_body(world, csrf_token))
        refused = response.status_code == 403 and response.mimetype == "text/html"
        if not refused or everything_stored() != before:
            let_through.append((method, url, response.status_code))

    assert len(requests) >= 25
    assert let_through == [], "\n".join(map(str, let_through))
    refusal = client.post("/settings/profile", data={"csrf_token": csrf_token})
    assert "This account is suspended" in page_text(refusal)


def test_every_write_through_the_api_refuses_a_suspended_member_and_changes_nothing(client):
    world = make_world()
    headers = {"Authorization": f"Bearer {world.secret}"}
    requests = [r for r in write_requests(client.application, world) if "/api/" in r[2]]

    let_through = []
    for endpoint, method, url in requests:
        if endpoint in STILL_ALLOWED:
            continue
        before = everything_stored()
        body = JSON_BODIES.get(endpoint, lambda w: {})(world)
        response = client.open(url, method=method, json=body, headers=headers)
        if response.status_code != 403 or everything_stored() != before:
            let_through.append((method, url, response.status_code))
        else:
            assert_error(response, 403)

    assert len(requests) >= 25
    assert let_through == [], "\n".join(map(str, let_through))


def test_the_writes_still_allowed_while_suspended_are_routes_of_the_app(client):
    endpoints = {rule.endpoint for rule in client.application.url_map.iter_rules()}
    assert endpoints >= STILL_ALLOWED


def test_a_suspended_member_still_logs_out(client):
    world = make_world()
    csrf_token = log_in_with_csrf(client, world.member)

    response = client.post("/logout", data={"csrf_token": csrf_token})

    assert response.status_code == 302
    assert client.get("/settings").status_code == 302  # sent to log in


def test_a_suspended_member_still_changes_their_password_which_revokes_their_tokens(client):
    world = make_world()
    csrf_token = log_in_with_csrf(client, world.member)

    response = client.post(
        "/settings/password",
        data={"csrf_token": csrf_token, "current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert accounts.authenticate(world.member.username, NEW_PASSWORD) is not None
    assert_error(client.get("/api/v1/me", headers={"Authorization": f"Bearer {world.secret}"}), 401)
    assert fresh(User, world.member.id).status == "suspended"


def test_a_suspended_member_still_revokes_their_own_tokens_on_the_page_and_the_api(client):
    world = make_world()
    on_page, _ = accounts.create_token(world.member, "page")
    csrf_token = log_in_with_csrf(client, world.member)
    (by_api,) = world.values["token_id"]

    page = client.post(f"/settings/tokens/{on_page.id}/revoke", data={"csrf_token": csrf_token})
    api = client.delete(
        f"/api/v1/auth/tokens/{by_api}", headers={"Authorization": f"Bearer {world.secret}"}
    )

    assert (page.status_code, api.status_code) == (302, 204)
    assert fresh(ApiToken, on_page.id) is None and fresh(ApiToken, by_api) is None


def test_the_api_judges_a_write_by_its_bearer_token_not_by_a_suspended_members_cookie(client):
    """The API ignores cookies: an active member's token works even when the same browser
    holds a suspended member's session."""
    world = make_world()
    log_in_with_csrf(client, world.member)
    active = make_user()

    response = client.patch("/api/v1/me", json={"headline": "Still here"}, headers=auth(active))

    assert response.status_code == 200
    assert fresh(User, active.id).headline == "Still here"
