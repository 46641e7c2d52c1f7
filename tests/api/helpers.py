"""Helpers of the API suite: requests made as a given member, and checks of docs/api.md's shapes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from tests.factories import auth

API = "/api/v1"
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")


# --- requests -------------------------------------------------------------------------------


def call(client, method: str, path: str, body: Any = None, *, user=None, headers=None, **kw):
    """One API request; `user` signs it with a fresh bearer token of that account."""
    headers = dict(headers or {})
    if user is not None:
        headers.update(auth(user))
    if body is not None:
        kw["json"] = body
    return client.open(API + path, method=method, headers=headers, **kw)


def get(client, path, **kw):
    return call(client, "GET", path, **kw)


def post(client, path, body=None, **kw):
    return call(client, "POST", path, body, **kw)


def put(client, path, body=None, **kw):
    return call(client, "PUT", path, body, **kw)


def patch(client, path, body=None, **kw):
    return call(client, "PATCH", path, body, **kw)


def delete(client, path, **kw):
    return call(client, "DELETE", path, **kw)


def ok(response, status: int = 200):
    """The JSON body of a response that must have answered `status`."""
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


# --- error shape ----------------------------------------------------------------------------


def assert_error(response, code: int, *fields: str) -> dict:
    """docs/api.md's error shape {code, status, message, errors?}, naming these wrong fields."""
    body = response.get_json(silent=True)
    assert response.status_code == code, (response.status_code, body)
    assert response.mimetype == "application/json"
    assert isinstance(body, dict), body
    assert set(body) <= {"code", "status", "message", "errors"}, body
    assert body["code"] == code
    assert body["status"] == HTTPStatus(code).phrase
    assert isinstance(body["message"], str) and body["message"]
    if "errors" in body:
        assert isinstance(body["errors"], dict)
    if fields:
        assert set(fields) <= set(body.get("errors") or {}), body
    return body


def refusals(send: Callable[[Any], Any], cases: dict[str, Any]) -> dict[str, tuple[int, list]]:
    """Send every case; for each, the status and the fields its error names (sorted). Errors must
    have the error shape. Compare the result with a dict of what each case should get."""
    seen = {}
    for label, case in cases.items():
        response = send(case)
        body = assert_error(response, response.status_code) if response.status_code >= 400 else {}
        seen[label] = (response.status_code, sorted(body.get("errors") or {}))
    return seen


def refused(cases: dict[str, tuple[Any, str]], status: int = 422) -> dict[str, tuple[int, list]]:
    """What `refusals` answers when each case {label: (input, wrong field)} is refused."""
    return {label: (status, [field]) for label, (_, field) in cases.items()}


# --- field shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    check: Callable[[Any], bool]


def _is_time(value) -> bool:
    return isinstance(value, str) and bool(ISO_UTC.match(value))


INT = Kind("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool))
NUMBER = Kind("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool))
STR = Kind("a string", lambda v: isinstance(v, str))
BOOL = Kind("a boolean", lambda v: isinstance(v, bool))
LIST = Kind("a list", lambda v: isinstance(v, list))
OBJECT = Kind("an object", lambda v: isinstance(v, dict))
TIME = Kind("an ISO 8601 UTC time", _is_time)


def nullable(kind: Kind) -> Kind:
    return Kind(f"{kind.name} or null", lambda v: v is None or kind.check(v))


def assert_shape(obj: dict, shape: dict[str, Kind]) -> None:
    """Every field the API promises (docs/api.md) is present, with the right type."""
    assert isinstance(obj, dict), obj
    for name, kind in shape.items():
        assert name in obj, f"{name!r} missing from {sorted(obj)}"
        assert kind.check(obj[name]), f"{name}={obj[name]!r} is not {kind.name}"


PAGE = {"items": LIST, "page": INT, "per_page": INT, "total": INT}
USER = {
    "username": STR,
    "display_name": STR,
    "headline": STR,
    "bio": STR,
    "role": STR,
    "status": STR,
    "joined_at": TIME,
    "contribution_count": INT,
    "reputation": NUMBER,
}
ME = {**USER, "email": STR}
NEW_TOKEN = {"id": INT, "name": STR, "token": STR, "created_at": TIME}
TOPIC = {"slug": STR, "name": STR, "description": STR, "prompt_count": INT}
AUTHOR = {"username": nullable(STR), "display_name": STR}
PROMPT_SUMMARY = {
    "id": INT,
    "slug": STR,
    "title": STR,
    "topic": OBJECT,
    "tags": LIST,
    "status": STR,
    "contribution_count": INT,
    "helpful_yes": INT,
    "helpful_no": INT,
    "author": OBJECT,
    "created_at": TIME,
    "updated_at": TIME,
    "url": STR,
}
PROMPT = {**PROMPT_SUMMARY, "intro": STR, "intro_html": STR, "key_points": LIST}
KEY_POINT = {"id": INT, "position": INT, "title": STR, "body": STR}
HELPFUL = {"helpful_yes": INT, "helpful_no": INT, "my_rating": nullable(BOOL)}
RATING = {"count": INT, "average": nullable(NUMBER), "histogram": LIST, "score": NUMBER}
CONTRIBUTION = {
    "id": INT,
    "prompt_id": INT,
    "key_point_id": nullable(INT),
    "body": STR,
    "body_html": STR,
    "tags": LIST,
    "status": STR,
    "featured": BOOL,
    "author": OBJECT,
    "created_at": TIME,
    "edited_at": nullable(TIME),
    "rating": OBJECT,
    "my_rating": nullable(INT),
    "is_new": BOOL,
    "url": STR,
}
REVISION = {"body": STR, "edited_at": TIME, "editor": STR}
LOG_ENTRY = {
    "id": INT,
    "actor": STR,
    "action": STR,
    "target_type": STR,
    "target_id": INT,
    "reason": STR,
    "created_at": TIME,
}


def assert_page(body: dict, item_check: Callable[[dict], None], *, page=1, per_page=20) -> list:
    """A page of items as docs/api.md describes it; returns the items."""
    assert_shape(body, PAGE)
    assert (body["page"], body["per_page"]) == (page, per_page)
    assert len(body["items"]) <= per_page <= 100
    for item in body["items"]:
        item_check(item)
    return body["items"]


def assert_prompt_summary(item: dict) -> None:
    assert_shape(item, PROMPT_SUMMARY)
    assert_shape(item["topic"], {"slug": STR, "name": STR})
    assert_shape(item["author"], AUTHOR)
    assert all(isinstance(tag, str) for tag in item["tags"])


def assert_prompt(item: dict) -> None:
    assert_prompt_summary(item)
    assert_shape(item, PROMPT)
    for point in item["key_points"]:
        assert_shape(point, KEY_POINT)


def assert_rating_summary(rating: dict) -> None:
    assert_shape(rating, RATING)
    assert len(rating["histogram"]) == 5
    assert all(INT.check(n) for n in rating["histogram"])
    assert rating["count"] == sum(rating["histogram"])


def assert_contribution(item: dict) -> None:
    assert_shape(item, CONTRIBUTION)
    assert_shape(item["author"], {**AUTHOR, "headline": STR})
    assert_rating_summary(item["rating"])
    assert all(isinstance(tag, str) for tag in item["tags"])


def ids(items) -> list[int]:
    return [item["id"] for item in items]
