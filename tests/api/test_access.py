"""Who may call the moderator-only and admin-only endpoints: role x endpoint, over HTTP.

Every cell checks the status and whether the change reached the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Contribution, Flag, Prompt, Topic, User
from forum.services import moderation
from tests.api.helpers import assert_error, call
from tests.factories import make_moderator
from tests.helpers import build_world, make_actor

ROLES = [
    "anonymous",
    "member",
    "suspended member",
    "member whose suspension has expired",
    "suspended moderator",
    "moderator",
    "admin",
]


def _now(model, ident, column: str):
    db.session.expire_all()
    return getattr(db.session.get(model, ident), column)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


@dataclass
class Endpoint:
    method: str
    path: str  # formatted with the world
    body: dict | None
    success: int
    observe: Callable[[SimpleNamespace], object] | None  # what a successful call changes
    prepare: Callable[[SimpleNamespace], None] | None = None
    admin_only: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _hide(world):
    moderation.hide(make_moderator(), world.contribution, "prepared")


def _feature(world):
    moderation.set_featured(make_moderator(), world.contribution, True)


def _suspend(world):
    moderation.suspend(make_moderator(), world.member, "prepared")


def _contribution(column):
    return lambda w: _now(Contribution, w.contribution.id, column)


def _target(column):
    return lambda w: _now(User, w.member.id, column)


ENDPOINTS = [
    Endpoint("POST", "/topics", {"name": "Topic {topic}-new"}, 201, lambda w: _count(Topic)),
    Endpoint(
        "POST",
        "/prompts",
        {"title": "New prompt", "topic": "{topic}", "key_points": [{"title": "One"}]},
        201,
        lambda w: _count(Prompt),
    ),
    Endpoint(
        "PATCH",
        "/prompts/{prompt}",
        {"title": "Edited title"},
        200,
        lambda w: _now(Prompt, w.prompt.id, "title"),
    ),
    Endpoint("GET", "/moderation/flags", None, 200, None),
    Endpoint(
        "POST",
        "/moderation/flags/{flag}/resolve",
        {"action": "dismiss"},
        200,
        lambda w: _now(Flag, w.flag.id, "status"),
    ),
    Endpoint(
        "POST", "/contributions/{contribution}/hide", {"reason": "x"}, 200, _contribution("status")
    ),
    Endpoint(
        "POST", "/contributions/{contribution}/restore", None, 200, _contribution("status"), _hide
    ),
    Endpoint("POST", "/contributions/{contribution}/feature", None, 200, _contribution("featured")),
    Endpoint(
        "DELETE",
        "/contributions/{contribution}/feature",
        None,
        200,
        _contribution("featured"),
        _feature,
    ),
    Endpoint("POST", "/users/{target}/suspend", {"reason": "Spam"}, 200, _target("status")),
    Endpoint("POST", "/users/{target}/unsuspend", None, 200, _target("status"), _suspend),
    Endpoint("GET", "/moderation/log", None, 200, None),
    Endpoint(
        "PATCH", "/users/{target}", {"role": "moderator"}, 200, _target("role"), admin_only=True
    ),
]


def expected_status(role: str, endpoint: Endpoint) -> int:
    if role == "anonymous":
        return 401
    allowed = {"admin"} if endpoint.admin_only else {"moderator", "admin"}
    return endpoint.success if role in allowed else 403


def _fill(value, world):
    names = {
        "topic": world.topic.slug,
        "prompt": world.prompt.id,
        "flag": world.flag.id,
        "contribution": world.contribution.id,
        "target": world.member.username,
    }
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


def outcome(client, role: str, endpoint: Endpoint) -> tuple[int, bool]:
    """The status one role gets from the endpoint, and whether the database changed."""
    world = build_world()
    if endpoint.prepare:
        endpoint.prepare(world)
    actor = make_actor(role)
    before = endpoint.observe(world) if endpoint.observe else None
    response = call(
        client,
        endpoint.method,
        _fill(endpoint.path, world),
        _fill(endpoint.body, world),
        user=actor,
    )
    if response.status_code >= 400:
        assert_error(response, response.status_code)
    else:
        assert response.is_json
    changed = endpoint.observe is not None and endpoint.observe(world) != before
    return response.status_code, changed


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_role_gets_the_expected_answer_from_each_restricted_endpoint(client, endpoint):
    expected = {}
    for role in ROLES:
        status = expected_status(role, endpoint)
        expected[role] = (status, status < 400 and endpoint.observe is not None)

    actual = {role: outcome(client, role, endpoint) for role in ROLES}

    assert actual == expected
