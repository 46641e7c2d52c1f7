"""Service endpoints and cross-cutting answers: health, the OpenAPI document and its page,
request size and rate limits."""

from __future__ import annotations

import re

from sqlalchemy import func, select, text

from forum.api import docs
from forum.extensions import db
from forum.models import ApiToken, Contribution
from tests.api.helpers import assert_error, assert_page, get, ok, post, refusals
from tests.factories import make_moderator, make_prompt, make_user
from tests.helpers import basic, page_text

# Every operation docs/api.md lists, written from docs/api.md itself.
API_MD_OPERATIONS = """
POST /api/v1/auth/register
POST /api/v1/auth/tokens
GET /api/v1/auth/tokens
DELETE /api/v1/auth/tokens/{id}
GET /api/v1/me
PATCH /api/v1/me
GET /api/v1/me/export
GET /api/v1/users/{username}
PATCH /api/v1/users/{username}
GET /api/v1/topics
POST /api/v1/topics
GET /api/v1/prompts
POST /api/v1/prompts
GET /api/v1/prompts/{id}
PATCH /api/v1/prompts/{id}
PUT /api/v1/prompts/{id}/rating
DELETE /api/v1/prompts/{id}/rating
GET /api/v1/prompts/{id}/related
GET /api/v1/prompts/{id}/contributions
POST /api/v1/prompts/{id}/contributions
GET /api/v1/contributions/{id}
PATCH /api/v1/contributions/{id}
DELETE /api/v1/contributions/{id}
GET /api/v1/contributions/{id}/revisions
PUT /api/v1/contributions/{id}/rating
DELETE /api/v1/contributions/{id}/rating
POST /api/v1/contributions/{id}/flags
GET /api/v1/strategies
PUT /api/v1/contributions/{id}/save
DELETE /api/v1/contributions/{id}/save
GET /api/v1/me/playbook
GET /api/v1/contributions/{id}/comments
POST /api/v1/contributions/{id}/comments
PATCH /api/v1/comments/{id}
DELETE /api/v1/comments/{id}
POST /api/v1/comments/{id}/flags
POST /api/v1/comments/{id}/hide
POST /api/v1/comments/{id}/restore
GET /api/v1/search
GET /api/v1/moderation/flags
POST /api/v1/moderation/flags/{id}/resolve
POST /api/v1/contributions/{id}/hide
POST /api/v1/contributions/{id}/restore
POST /api/v1/contributions/{id}/feature
DELETE /api/v1/contributions/{id}/feature
POST /api/v1/users/{username}/suspend
POST /api/v1/users/{username}/unsuspend
GET /api/v1/moderation/log
"""


def _shape(path: str) -> str:
    """A path with its placeholders made anonymous: /prompts/{prompt_id} -> /prompts/{}."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented_operations() -> set[tuple[str, str]]:
    pairs = (line.split() for line in API_MD_OPERATIONS.strip().splitlines())
    return {(method.lower(), _shape(path)) for method, path in pairs}


# --- health ---------------------------------------------------------------------------------


def test_the_health_check_reports_every_part_ok(client):
    response = client.get("/healthz")
    assert ok(response) == {"status": "ok", "database": "ok", "search": "ok"}


def test_the_health_check_answers_503_naming_a_failing_database(client, monkeypatch):
    monkeypatch.setattr(docs, "text", lambda _sql: text("SELECT * FROM no_such_table"))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["database"]) == ("unavailable", "unavailable")


# --- the OpenAPI document -------------------------------------------------------------------


def test_the_openapi_document_lists_every_operation_of_api_md(client):
    spec = ok(client.get("/api/v1/openapi.json"))

    assert spec["openapi"].startswith("3.")
    served = {
        (method, _shape(path))
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    missing = documented_operations() - served
    assert not missing, sorted(missing)


def test_the_openapi_document_describes_the_error_shape_and_bearer_tokens(client):
    spec = ok(client.get("/api/v1/openapi.json"))
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": "API token"}
    operation = spec["paths"]["/api/v1/me"]["get"]
    assert operation["security"] == [{"bearer": []}]


def test_the_api_docs_page_renders_every_operation(client):
    paths = ok(client.get("/api/v1/openapi.json"))["paths"]

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert page.lstrip().lower().startswith("<!doctype html>")
    missing = [path for path in paths if path not in page]
    assert not missing


# --- routing ------------------------------------------------------------------------------


def test_an_unknown_api_path_is_a_404_in_the_error_shape(client):
    assert_error(client.get("/api/v1/no-such-thing"), 404)


def test_an_unsupported_method_is_a_405_naming_the_allowed_ones(client):
    response = client.put("/api/v1/topics", json={})
    assert_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


# --- paging ---------------------------------------------------------------------------------

BAD_PAGING = ["per_page=0", "per_page=101", "per_page=1.5", "page=0", "page=x"]


def test_every_paged_list_answers_400_naming_a_bad_parameter(client):
    prompt, moderator = make_prompt(), make_moderator()
    lists = {
        "/prompts": ["sort=bogus"],
        f"/prompts/{prompt.id}/contributions": ["sort=bogus", "key_point=abc"],
        "/strategies": ["min_ratings=-1", "min_ratings=x"],
        "/search?q=trust&": ["type=user"],
        "/moderation/flags": ["status=bogus"],
        "/moderation/log": [],
    }
    cases = {
        (path, query): query.split("=")[0]
        for path, own in lists.items()
        for query in BAD_PAGING + own
    }

    def send(case):
        path, query = case
        separator = "" if path.endswith("&") else "?"
        return get(client, f"{path}{separator}{query}", user=moderator)

    seen = refusals(send, {case: case for case in cases})

    assert seen == {case: (400, [name]) for case, name in cases.items()}


def test_every_paged_list_answers_its_page_and_total(client):
    prompt, moderator = make_prompt(), make_moderator()
    paths = [
        "/prompts",
        f"/prompts/{prompt.id}/contributions",
        "/strategies",
        "/search?q=trust",
        "/moderation/flags",
        "/moderation/log",
    ]
    for path in paths:
        separator = "&" if "?" in path else "?"
        body = ok(get(client, f"{path}{separator}page=2&per_page=100", user=moderator))
        assert_page(body, lambda _item: None, page=2, per_page=100)
        assert body["items"] == []


# --- request size ---------------------------------------------------------------------------


def test_a_body_over_one_megabyte_is_refused_with_413(client):
    prompt, member = make_prompt(), make_user()
    body = {"body": "x" * (1024 * 1024)}

    response = post(client, f"/prompts/{prompt.id}/contributions", body, user=member)

    assert_error(response, 413)
    assert db.session.scalar(select(func.count(Contribution.id))) == 0


def test_a_body_over_one_megabyte_is_a_413_even_where_no_body_is_read(client):
    response = get(client, "/topics", data=b"x" * (1024 * 1024 + 1))
    assert_error(response, 413)
    response = post(client, "/topics", data=b"{}" + b" " * (1024 * 1024), user=None)
    assert_error(response, 413)


def test_a_body_just_under_the_limit_is_read(client):
    prompt = make_prompt()
    padding = " " * (1024 * 1024 - 100)
    data = '{"body": "Fits."' + padding + "}"
    response = post(
        client,
        f"/prompts/{prompt.id}/contributions",
        data=data,
        content_type="application/json",
        user=make_user(),
    )
    assert ok(response, 201)["body"] == "Fits."


# --- rate limits ----------------------------------------------------------------------------


def test_too_many_token_requests_are_answered_429_with_retry_after(limited_client):
    make_user(username="ana")
    headers = basic("ana")

    answers = [
        limited_client.post("/api/v1/auth/tokens", json={}, headers=headers) for _ in range(3)
    ]

    assert [a.status_code for a in answers[:2]] == [201, 201]
    body = assert_error(answers[2], 429)
    assert "token" not in body
    retry_after = answers[2].headers["Retry-After"]
    assert retry_after.isdigit() and 0 < int(retry_after) <= 60
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ApiToken.id))) == 2


def test_rate_limits_are_off_in_the_test_configuration(client):
    make_user(username="ana")
    headers = basic("ana")
    statuses = {
        client.post("/api/v1/auth/tokens", json={}, headers=headers).status_code for _ in range(12)
    }
    assert statuses == {201}


def test_a_bad_bearer_token_is_refused_on_every_endpoint_even_public_ones(client):
    headers = {"Authorization": "Bearer cp_not-a-real-token"}
    for path in ("/api/v1/prompts", "/api/v1/topics", "/api/v1/strategies"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, path
        assert response.json["code"] == 401


def test_the_openapi_document_groups_operations_under_human_tags_with_examples(client):
    spec = ok(client.get("/api/v1/openapi.json"))
    tags = {tag["name"]: tag for tag in spec["tags"]}
    expected = {"Accounts", "Topics", "Prompts", "Contributions", "Outcomes", "Comments"}
    expected |= {"Moderation", "Search", "Following", "Playbook"}
    assert expected <= set(tags)
    assert not [name for name in tags if name.startswith("api_")]
    for tag in tags.values():
        assert "Example request:" in tag["description"] and "Answer:" in tag["description"]
        assert tag["x-example"]["request"] and tag["x-example"]["answer"]
    used = {
        name
        for item in spec["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
        for name in operation["tags"]
    }
    assert used <= set(tags)
    assert spec["paths"]["/api/v1/me"]["get"]["tags"] == ["Accounts"]
    assert spec["paths"]["/api/v1/moderation/flags"]["get"]["tags"] == ["Moderation"]


def test_the_api_docs_page_shows_each_group_with_its_example(client):
    page = client.get("/api/v1/docs")
    text = page_text(page)
    assert "api_accounts" not in text
    for heading in ("Accounts", "Prompts", "Contributions", "Moderation", "Search"):
        assert f'-heading">{heading}</h2>' in page.text
    assert text.count("Example request") >= 10
    assert "POST /api/v1/auth/tokens" in text and '"reporting script"' in text
