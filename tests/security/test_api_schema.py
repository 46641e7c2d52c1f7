"""The API against its own OpenAPI document, with schemathesis: generated requests to every
operation, as a moderator, never get a server error, and every answer is documented (status code,
content type and body schema)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from forum.extensions import db
from tests.factories import make_contribution, make_moderator, make_prompt, token_for

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def failures_of(app, operation, headers: dict) -> tuple[int, list[str]]:
    """Run the operation's generated examples; how many ran, and what each failure said."""
    seen: list[str] = []
    ran = 0

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        nonlocal ran
        ran += 1
        # Hypothesis seeds the global `random` alike for every example; Whoosh names its new
        # segments with it, so a second commit would reuse a name and fail. Entropy, as in
        # production (Hypothesis restores its own state after the example).
        random.seed()
        with app.app_context():  # a fresh session and `g` per request, as in production
            response = case.call(headers=headers)
            db.session.remove()
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            seen.extend(f"{operation.label}: {failure}" for failure in group.exceptions)

    run()
    return ran, seen


def test_every_operation_documents_the_error_codes_it_can_answer(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            expected = {"400", "401", "413"}
            if method in ("post", "put", "patch", "delete"):
                expected |= {"403", "409", "422", "429"}
            if "{" in path:
                expected.add("404")
            if expected - set(operation["responses"]):
                missing[f"{method.upper()} {path}"] = sorted(expected - set(operation["responses"]))
    assert missing == {}
    error = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"]
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {
        "code",
        "status",
        "message",
        "errors",
    }
    assert error["schema"] == {"$ref": "#/components/schemas/Error"}


@pytest.mark.slow
def test_generated_requests_to_every_operation_get_documented_answers(app):
    moderator = make_moderator()
    make_contribution(prompt=make_prompt(author=moderator))
    headers = {"Authorization": f"Bearer {token_for(moderator)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    operations, examples, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        ran, seen = failures_of(app, operation, headers)
        operations, examples, failures = operations + 1, examples + ran, failures + seen

    print(f"schemathesis: {operations} operations, {examples} examples")  # noqa: T201
    assert operations >= 38
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(sorted(set(failures)))
