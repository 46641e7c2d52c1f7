"""Nothing a client sends becomes a 500, on every operation of the API.

The operations are discovered from the app's URL map, and their fields and query parameters from
its OpenAPI document, so a new endpoint is covered the day it is added. Each operation gets
malformed JSON, JSON of the wrong type, fields of the wrong type or of awkward content, an
oversized body, bodies no JSON reader should choke on (deep nesting, endless integers, lone
surrogates) and bogus ids, anonymously and with a moderator's token. Every answer must be below
500, and every error must come in the shape of docs/api.md with the matching code.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from forum import create_app
from tests.api.helpers import API, assert_error
from tests.conftest import base_config
from tests.factories import token_for
from tests.helpers import build_world

VARIABLE = re.compile(r"<(?:(\w+):)?(\w+)>")
ADMIN_ONLY = {("PATCH", "/api/v1/users/<username>")}

WRONG_VALUES = [
    12345,
    -1,
    2**70,
    1.5,
    True,
    None,
    "",
    "x" * 100_000,
    "ünïcödé ✓ 🚀 中文 ‮",
    "nul\x00char",
    {"nested": {"deep": [1]}},
    ["list", 1],
]
WRONG_QUERY_VALUES = ["", "-1", "0", "abc", "99999999999999999999", "1.5", "x" * 5000, "ü✓", "\x00"]
BOGUS_IDS = ["0", "-1", str(2**31), "99999999999999999999", "9" * 23]
# JSON no reader of the forum should choke on, as raw text: each is refused with a 400 as the
# whole body, as any field's value and in place of any string inside the valid body.
UNREADABLE_JSON = {
    "100,000 nested arrays": "[" * 100_000 + "]" * 100_000,
    "100,000 nested objects": '{"a": ' * 100_000 + "1" + "}" * 100_000,
    "arrays nested 40 deep": "[" * 40 + "]" * 40,
    "an integer of 5,000 digits": "9" * 5000,
    "a lone high surrogate": '"a\\ud800b"',
    "a lone low surrogate": '"\\udfff"',
    "NaN": "NaN",
    "Infinity": "-Infinity",
    "a float beyond any double": "1e400",
}
PLACEHOLDER = "\u2603placeholder\u2603"


def _discover() -> tuple[list[tuple[str, str]], dict]:
    """Every (method, rule) under /api/v1, and the OpenAPI document."""
    app = create_app(
        base_config(
            DATABASE_URL="sqlite://",
            SEARCH_PATH=tempfile.gettempdir() + "/commonplace-robustness-unused",
            SEARCH_DRAIN_AT_START=False,
            SERVER_NAME="forum.test",
        )
    )
    operations = sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )
    with app.test_request_context():
        from forum.api import api

        spec = api.spec.to_dict()
    return operations, spec


OPERATIONS, SPEC = _discover()


def _openapi_operation(method: str, rule: str) -> dict:
    path = VARIABLE.sub(lambda m: "{" + m.group(2) + "}", rule)
    return SPEC["paths"].get(path, {}).get(method.lower(), {})


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_fields(method: str, rule: str) -> list[str]:
    content = _openapi_operation(method, rule).get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return sorted(_resolve(schema).get("properties", {})) if schema else []


def query_parameters(method: str, rule: str) -> list[str]:
    parameters = _openapi_operation(method, rule).get("parameters", [])
    return sorted(p["name"] for p in parameters if p.get("in") == "query")


# --- the world the operations act on --------------------------------------------------------


def valid_body(method: str, rule: str, world) -> dict:
    """A body the operation accepts, so that one wrong field is the only thing wrong."""
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    bodies = {
        "/auth/register": {"username": "newbie", "email": "n@example.org", "password": "p" * 12},
        "/auth/tokens": {"name": "laptop"},
        "/me": {"display_name": "New name", "headline": "Coach", "bio": "Bio"},
        "/users/<username>": {"role": "moderator"},
        "/topics": {"name": "Team coaching", "description": "Teams", "slug": "teams"},
        "/prompts": {
            "title": "A title",
            "intro": "An intro",
            "topic": world.prompt.topic.slug,
            "key_points": [{"title": "A point", "body": "Its body"}],
            "tags": ["trust"],
        },
        "/prompts/<int:prompt_id>": {"title": "Edited", "status": "open", "reason": "tidy"},
        "/prompts/<int:prompt_id>/rating": {"helpful": True},
        "/prompts/<int:prompt_id>/contributions": {
            "body": "What worked",
            "key_point_id": world.prompt.key_points[0].id,
        },
        "/contributions/<int:contribution_id>": {"body": "Edited body"},
        "/contributions/<int:contribution_id>/rating": {"score": 4},
        "/contributions/<int:contribution_id>/outcome": {"result": "partly", "setting": "team"},
        "/contributions/<int:contribution_id>/flags": {"reason": "spam", "note": "an ad"},
        "/moderation/flags/<int:flag_id>/resolve": {"action": "dismiss", "note": "fine"},
        "/contributions/<int:contribution_id>/hide": {"reason": "off topic"},
        "/contributions/<int:contribution_id>/restore": {"reason": "back"},
        "/contributions/<int:contribution_id>/redact": {"reason": "a client's name"},
        "/users/<username>/suspend": {"reason": "spam", "until": until},
        "/contributions/<int:contribution_id>/comments": {"body": "Why?", "kind": "question"},
        "/comments/<int:comment_id>": {"body": "Edited comment"},
        "/comments/<int:comment_id>/flags": {"reason": "spam", "note": "an ad"},
        "/comments/<int:comment_id>/hide": {"reason": "rude"},
        "/comments/<int:comment_id>/restore": {"reason": "back"},
    }
    if method in ("GET", "DELETE"):
        return {}
    return dict(bodies.get(rule[len(API) :], {}))


def fill_path(rule: str, world, **override: str) -> str:
    def value(match):
        name = match.group(2)
        return str(override.get(name, world.path_values.get(name, 1)))

    return VARIABLE.sub(value, rule)


# --- sending and checking -------------------------------------------------------------------


@dataclass
class Probe:
    """One request sent to the operation, and what its answer must be."""

    label: str
    options: dict
    status: int | frozenset[int] | None = None  # when only this status (or these) is right
    path: dict[str, str] = field(default_factory=dict)  # path variables to set otherwise


def generic_probes(method: str, rule: str, as_moderator: bool) -> list[Probe]:
    reads_body = bool(body_fields(method, rule))
    parses_first = as_moderator and (method, rule) not in ADMIN_ONLY
    bad_json = 400 if reads_body and parses_first else None
    as_json = {"content_type": "application/json"}
    return [
        Probe("malformed JSON", {"data": '{"body": ', **as_json}, bad_json),
        Probe("single-quoted JSON", {"data": "{'body': 1}", **as_json}, bad_json),
        Probe("bytes that are not UTF-8", {"data": b'{"body": "\xff\xfe"}', **as_json}, bad_json),
        Probe("a JSON list", {"json": [1, 2]}),
        Probe("a JSON string", {"json": "text"}),
        Probe("JSON null", {"data": "null", **as_json}),
        Probe("a JSON number", {"json": 42}),
        Probe("JSON true", {"json": True}),
        Probe("an empty object", {"json": {}}),
        Probe("a form instead of JSON", {"data": {"body": "x"}}),
        Probe("a body over 1 MB", {"json": {"body": "x" * (1024 * 1024)}}, 413),
    ]


def body_probes(method: str, rule: str, world) -> list[Probe]:
    """The valid body with one field wrong at a time, then with every field wrong alike."""
    base = valid_body(method, rule, world)
    names = body_fields(method, rule)
    probes = [Probe("the valid body", {"json": base})]
    for name in names:
        for value in WRONG_VALUES:
            probes.append(Probe(f"{name}={value!r:.40}", {"json": {**base, name: value}}))
    for value in WRONG_VALUES:
        probes.append(Probe(f"every field={value!r:.40}", {"json": dict.fromkeys(names, value)}))
    return probes


def _with_raw(document, raw: str) -> str:
    """The document as JSON text, with `raw` where the placeholder string was."""
    return json.dumps(document).replace(json.dumps(PLACEHOLDER), raw)


def _string_paths(value, path=()):
    """The path (keys and indexes) to every string inside a document."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _string_paths(item, (*path, key))


def _replaced(document, path, new):
    if not path:
        return new
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[path[0]] = _replaced(document[path[0]], path[1:], new)
    return copy


def unreadable_body_probes(method: str, rule: str, world) -> list[Probe]:
    """Bodies the JSON reader refuses: a 400 for everyone, whatever the operation, before anything
    else is looked at (so these go to operations without a body too)."""
    base = valid_body(method, rule, world)
    as_json = {"content_type": "application/json"}
    documents = {"whole body": PLACEHOLDER}
    documents |= {
        f"field {name}": {**base, name: PLACEHOLDER} for name in body_fields(method, rule)
    }
    documents |= {
        f"string at {'.'.join(map(str, path))}": _replaced(base, path, PLACEHOLDER)
        for path in _string_paths(base)
    }
    probes = [
        Probe(f"{label} in {where}", {"data": _with_raw(document, raw), **as_json}, 400)
        for where, document in documents.items()
        for label, raw in UNREADABLE_JSON.items()
    ]
    surrogate_name = json.dumps({**base, "\ud800": "x"})  # json.dumps writes it as an escape
    probes.append(
        Probe("a lone surrogate as a field name", {"data": surrogate_name, **as_json}, 400)
    )
    return probes


def query_probes(method: str, rule: str) -> list[Probe]:
    return [
        Probe(f"?{name}={value!r:.40}", {"query_string": {name: value}})
        for name in query_parameters(method, rule)
        for value in WRONG_QUERY_VALUES
    ]


def bogus_id_probes(method: str, rule: str, world, as_moderator: bool) -> list[Probe]:
    """Ids that name nothing (0, negative, beyond any column): 404, or 401 for a reader first."""
    body = valid_body(method, rule, world) or None
    expected = frozenset({404}) if as_moderator else frozenset({401, 404})
    return [
        Probe(f"{name}={bogus}", {"json": body}, expected, {name: bogus})
        for name in (m.group(2) for m in VARIABLE.finditer(rule) if m.group(1) == "int")
        for bogus in BOGUS_IDS
    ]


def problems_with(response, probe: Probe) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    allowed = {probe.status} if isinstance(probe.status, int) else probe.status
    if status >= 500:
        return f"{probe.label}: {status}"
    if allowed is not None and status not in allowed:
        return f"{probe.label}: {status}, expected {sorted(allowed)}"
    if status >= 400:
        try:
            assert_error(response, status)
        except AssertionError as error:
            return f"{probe.label}: {status} without the error shape ({error})"
    return None


def send_all(client, method: str, rule: str, world, probes: list[Probe], headers) -> list[str]:
    problems = []
    for probe in probes:
        path = fill_path(rule, world, **probe.path)
        response = client.open(path, method=method, headers=headers, **probe.options)
        problem = problems_with(response, probe)
        if problem:
            problems.append(problem)
    return problems


def moderator_headers(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(world.moderator)}"}


@pytest.mark.parametrize("method, rule", OPERATIONS, ids=[f"{m} {r}" for m, r in OPERATIONS])
def test_nothing_a_client_sends_makes_an_operation_fail_with_a_5xx(client, method, rule):
    world = build_world()
    valid = valid_body(method, rule, world) or None
    # Where a reader is turned away before the body is read, wrong fields change nothing for
    # them: those go through with the moderator's token, which gets past that door.
    reader_gets_in = client.open(fill_path(rule, world), method=method, json=valid).status_code
    probes = {}
    for who, as_moderator in (("anonymously", False), ("as a moderator", True)):
        probes[who] = (
            generic_probes(method, rule, as_moderator)
            + unreadable_body_probes(method, rule, world)
            + query_probes(method, rule)
            + bogus_id_probes(method, rule, world, as_moderator)
        )
        if as_moderator or reader_gets_in != 401:
            probes[who] += body_probes(method, rule, world)

    problems = {
        "anonymously": send_all(client, method, rule, world, probes["anonymously"], {}),
        "as a moderator": send_all(
            client, method, rule, world, probes["as a moderator"], moderator_headers(world)
        ),
    }

    assert problems == {"anonymously": [], "as a moderator": []}


def test_nul_characters_are_refused_as_invalid_fields_and_query_parameters(client):
    """PostgreSQL cannot store or compare them: refused up front, on every database alike."""
    world = build_world()
    headers = moderator_headers(world)
    prompt_id = world.prompt.id
    writes = [
        ("POST", f"/prompts/{prompt_id}/contributions", {"body": "a\x00b"}, "body"),
        ("POST", "/topics", {"name": "Team\x00"}, "name"),
        ("PATCH", f"/prompts/{prompt_id}", {"key_points": [{"title": "\x00"}]}, "key_points"),
        ("PATCH", "/me", {"headline": "\x00"}, "headline"),
    ]
    for method, path, body, wrong in writes:
        response = client.open(API + path, method=method, headers=headers, json=body)
        assert_error(response, 422, wrong)
    for query in ("tag=%00", "topic=a%00", "sort=%00"):
        assert_error(client.get(f"{API}/prompts?{query}"), 400)
    assert_error(client.get(f"{API}/users/a%00b"), 400)  # refused before any lookup


def test_a_lone_surrogate_in_a_body_is_refused_as_not_text_and_nothing_is_saved(client):
    """`\\ud800` is valid JSON syntax but not text: no database or encoder takes it."""
    world = build_world()
    path = f"{API}/prompts/{world.prompt.id}/contributions"
    body = '{"body": "What worked \\ud800 for me"}'

    response = client.post(
        path, data=body, content_type="application/json", headers=moderator_headers(world)
    )

    assert "surrogate" in assert_error(response, 400)["message"]
    listing = client.get(path).get_json()
    assert listing["total"] == 1  # the contribution the world was built with, and no other
