"""Who may use each moderation page, button and API path: every role against every route,
with the status each gets and whether the database changed (every accepted action logs a line)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forum.services import comment_moderation, comments, moderation
from tests.factories import (
    auth,
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
)
from tests.helpers import make_actor
from tests.moderation.helpers import audit_count, flag_it

MODERATORS = {"moderator", "admin"}
ROLES = ("anonymous", "member", "suspended member", "moderator", "admin")
# Following and the inbox reach nobody else: every signed-in account, suspended or not.
SIGNED_IN = {"member", "suspended member", "moderator", "admin"}


def make_world():
    moderator, author = make_moderator(), make_user()
    topic = make_topic()
    prompt = make_prompt(author=moderator, topic=topic)
    flagged = make_contribution(prompt=prompt, author=author)
    hidden = make_contribution(prompt=prompt, author=author)
    moderation.hide(moderator, hidden, "prepared")
    suspended = make_user()
    flag = flag_it(flagged, reporter=suspended)  # flagged before the suspension
    comment = comments.create_comment(make_user(), flagged, "A question")
    hidden_comment = comments.create_comment(make_user(), flagged, "A rude remark")
    comment_moderation.hide_comment(moderator, hidden_comment, "prepared")
    comment_flag = comment_moderation.flag_comment(suspended, comment, "spam")
    moderation.suspend(moderator, suspended, "prepared")
    return SimpleNamespace(
        prompt=prompt,
        locked=make_prompt(author=moderator, topic=topic, status="locked"),
        flagged=flagged,
        flag=flag,
        hidden=hidden,
        comment=comment,
        hidden_comment=hidden_comment,
        comment_flag=comment_flag,
        target=make_user(),
        suspended=suspended,
    )


# (label, method, path for a world, form or JSON body for a world, who may, writes?)
WEB = [
    ("queue page", "GET", lambda w: "/moderation", None, MODERATORS, False),
    ("resolved tab", "GET", lambda w: "/moderation?status=resolved", None, MODERATORS, False),
    ("audit log page", "GET", lambda w: "/moderation/log", None, MODERATORS, False),
    (
        "resolve",
        "POST",
        lambda w: f"/moderation/flags/{w.flag.id}/resolve",
        lambda w: {"action": "dismiss"},
        MODERATORS,
        True,
    ),
    (
        "bulk resolve",
        "POST",
        lambda w: "/moderation/bulk",
        lambda w: {"action": "hide", "contributions": [w.flagged.id]},
        MODERATORS,
        True,
    ),
    (
        "hide",
        "POST",
        lambda w: f"/contributions/{w.flagged.id}/hide",
        lambda w: {"reason": "rude"},
        MODERATORS,
        True,
    ),
    ("restore", "POST", lambda w: f"/contributions/{w.hidden.id}/restore", None, MODERATORS, True),
    (
        "hide comment",
        "POST",
        lambda w: f"/comments/{w.comment.id}/hide",
        lambda w: {"reason": "rude"},
        MODERATORS,
        True,
    ),
    (
        "restore comment",
        "POST",
        lambda w: f"/comments/{w.hidden_comment.id}/restore",
        None,
        MODERATORS,
        True,
    ),
    (
        "resolve a comment's flags",
        "POST",
        lambda w: f"/moderation/flags/{w.comment_flag.id}/resolve",
        lambda w: {"action": "hide"},
        MODERATORS,
        True,
    ),
    (
        "bulk resolve comments",
        "POST",
        lambda w: "/moderation/bulk",
        lambda w: {"action": "dismiss", "comments": [w.comment.id]},
        MODERATORS,
        True,
    ),
    ("feature", "POST", lambda w: f"/contributions/{w.flagged.id}/feature", None, MODERATORS, True),
    (
        "lock",
        "POST",
        lambda w: f"/prompts/{w.prompt.id}/lock",
        lambda w: {"reason": "finished"},
        MODERATORS,
        True,
    ),
    ("unlock", "POST", lambda w: f"/prompts/{w.locked.id}/unlock", None, MODERATORS, True),
    (
        "suspend",
        "POST",
        lambda w: f"/u/{w.target.username}/suspend",
        lambda w: {"reason": "spam"},
        MODERATORS,
        True,
    ),
    (
        "unsuspend",
        "POST",
        lambda w: f"/u/{w.suspended.username}/unsuspend",
        None,
        MODERATORS,
        True,
    ),
    (
        "purge",
        "POST",
        lambda w: f"/u/{w.target.username}/purge",
        lambda w: {"reason": "spam", "confirm": w.target.username},
        MODERATORS,
        True,
    ),
    (
        "set role",
        "POST",
        lambda w: f"/u/{w.target.username}/role",
        lambda w: {"role": "moderator"},
        {"admin"},
        True,
    ),
    (
        "follow",
        "POST",
        lambda w: "/follow",
        lambda w: {"target_type": "prompt", "target_id": w.prompt.id, "level": "muted"},
        SIGNED_IN,
        False,
    ),
    ("following page", "GET", lambda w: "/following", None, SIGNED_IN, False),
    ("inbox page", "GET", lambda w: "/inbox", None, SIGNED_IN, False),
    ("mark all read", "POST", lambda w: "/inbox/read", None, SIGNED_IN, False),
]
API = [
    (
        "purge",
        "POST",
        lambda w: f"/api/v1/users/{w.target.username}/purge",
        lambda w: {"reason": "spam"},
        MODERATORS,
        True,
    ),
    ("audit log", "GET", lambda w: "/api/v1/moderation/log", None, MODERATORS, False),
    (
        "hide comment",
        "POST",
        lambda w: f"/api/v1/comments/{w.comment.id}/hide",
        lambda w: {"reason": "rude"},
        MODERATORS,
        True,
    ),
    (
        "restore comment",
        "POST",
        lambda w: f"/api/v1/comments/{w.hidden_comment.id}/restore",
        None,
        MODERATORS,
        True,
    ),
    (
        "resolve a comment's flags",
        "POST",
        lambda w: f"/api/v1/moderation/flags/{w.comment_flag.id}/resolve",
        lambda w: {"action": "dismiss"},
        MODERATORS,
        True,
    ),
    (
        "resolve",
        "POST",
        lambda w: f"/api/v1/moderation/flags/{w.flag.id}/resolve",
        lambda w: {"action": "hide"},
        MODERATORS,
        True,
    ),
    (
        "follow",
        "PUT",
        lambda w: "/api/v1/subscriptions",
        lambda w: {"target_type": "user", "target": w.target.username, "level": "watching"},
        SIGNED_IN,
        False,
    ),
    ("subscriptions", "GET", lambda w: "/api/v1/subscriptions", None, SIGNED_IN, False),
    ("notifications", "GET", lambda w: "/api/v1/notifications", None, SIGNED_IN, False),
    (
        "mark read",
        "POST",
        lambda w: "/api/v1/notifications/read",
        lambda w: {"all": True},
        SIGNED_IN,
        False,
    ),
]


def expected_web(role, allowed, method):
    if role == "anonymous":
        return 302
    if role not in allowed:
        return 403
    return 302 if method == "POST" else 200


def expected_api(role, allowed):
    if role == "anonymous":
        return 401
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "label, method, path, body, allowed, writes", WEB, ids=[row[0] for row in WEB]
)
def test_each_role_gets_what_the_matrix_says_from_each_moderation_page(
    client, login, role, label, method, path, body, allowed, writes
):
    world = make_world()
    actor = make_actor(role)
    if actor is not None:
        login(actor)
    before = audit_count()

    response = client.open(path(world), method=method, data=body(world) if body else None)

    assert response.status_code == expected_web(role, allowed, method)
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    assert (audit_count() > before) is (writes and role in allowed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "label, method, path, body, allowed, writes", API, ids=[row[0] for row in API]
)
def test_each_role_gets_what_the_matrix_says_from_each_moderation_api_path(
    client, role, label, method, path, body, allowed, writes
):
    world = make_world()
    actor = make_actor(role)
    before = audit_count()

    response = client.open(
        path(world),
        method=method,
        json=body(world) if body else None,
        headers=auth(actor) if actor is not None else {},
    )

    assert response.status_code == expected_api(role, allowed), response.get_json()
    assert (audit_count() > before) is (writes and role in allowed)
