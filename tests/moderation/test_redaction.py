"""Redaction: a moderator removes the text of an earlier version of a contribution for good (a
client's name that slipped in). The text leaves the database rows, the history, the author's
export; the audit log keeps who and why, never the text."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationAction, Revision
from forum.services import contributions
from tests.api.helpers import (
    BOOL,
    INT,
    REVISION,
    TIME,
    assert_error,
    assert_shape,
    get,
    nullable,
    ok,
    post,
    refusals,
    refused,
)
from tests.factories import make_contribution, make_moderator, make_user

NAME = "Margarethe Vandersloot"
FIRST = f"Coaching {NAME} taught me to ask one question at a time."
SECOND = f"Coaching {NAME} taught me to ask one open question at a time."
CURRENT = "Coaching a client taught me to ask one open question at a time."
REDACTABLE_REVISION = {**REVISION, "id": INT, "redacted": BOOL, "redacted_at": nullable(TIME)}


@pytest.fixture
def history():
    """A contribution whose name was edited out: two earlier versions still hold it."""
    author, moderator = make_user(), make_moderator()
    made = make_contribution(author=author, body=FIRST)
    contributions.edit_contribution(author, made, SECOND)
    contributions.edit_contribution(moderator, made, CURRENT)
    return made, author, moderator


def redact(client, made, user, **body):
    return post(client, f"/contributions/{made.id}/redact", {"reason": "Client name", **body},
                user=user)  # fmt: skip


def revision_rows(made) -> list[Revision]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Revision).where(Revision.contribution_id == made.id).order_by(Revision.id)
        )
    )


def redact_lines() -> list[ModerationAction]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(ModerationAction).where(ModerationAction.action == "redact"))
    )


def test_redacting_one_revision_empties_its_text_and_answers_the_revisions(client, history):
    made, _, moderator = history
    first, second = revision_rows(made)

    body = ok(redact(client, made, moderator, revision_id=first.id))

    for item in body["items"]:
        assert_shape(item, REDACTABLE_REVISION)
    assert [(i["id"], i["redacted"], i["body"]) for i in body["items"]] == [
        (first.id, True, ""),
        (second.id, False, SECOND),
    ]
    first, second = revision_rows(made)
    assert (first.body, first.redacted_at is not None) == ("", True)
    assert (second.body, second.redacted_at) == (SECOND, None)


def test_without_a_revision_every_earlier_revision_loses_its_text(client, history):
    made, _, moderator = history

    body = ok(redact(client, made, moderator))

    assert [(i["redacted"], i["body"]) for i in body["items"]] == [(True, ""), (True, "")]
    assert all(row.body == "" and row.redacted_at is not None for row in revision_rows(made))
    assert ok(get(client, f"/contributions/{made.id}"))["body"] == CURRENT


def test_the_log_keeps_who_and_why_but_not_the_text(client, history):
    made, _, moderator = history

    ok(redact(client, made, moderator, reason="A client's full name"))

    [line] = redact_lines()
    assert (line.actor_name, line.target_type, line.target_id) == (
        moderator.username,
        "contribution",
        made.id,
    )
    assert line.reason.startswith("A client's full name")
    assert "Vandersloot" not in json.dumps(ok(get(client, "/moderation/log", user=moderator)))


def test_redacting_again_changes_nothing_and_logs_nothing_more(client, history):
    made, _, moderator = history
    ok(redact(client, made, moderator))

    ok(redact(client, made, moderator))
    ok(redact(client, made, moderator, revision_id=revision_rows(made)[0].id))

    assert len(redact_lines()) == 1


def test_the_history_shows_a_redacted_revision_as_removed_with_its_date(client, history):
    made, _, moderator = history
    first = revision_rows(made)[0]
    ok(redact(client, made, moderator, revision_id=first.id))

    items = ok(get(client, f"/contributions/{made.id}/revisions"))["items"]

    assert (items[0]["redacted"], items[0]["body"]) == (True, "")
    assert items[0]["edited_at"] and items[1]["body"] == SECOND


def test_the_authors_export_no_longer_holds_the_text(client, history):
    made, author, moderator = history
    assert "Vandersloot" in json.dumps(ok(get(client, "/me/export", user=author)))

    ok(redact(client, made, moderator))

    exported = ok(get(client, "/me/export", user=author))
    assert "Vandersloot" not in json.dumps(exported)
    [contribution] = exported["contributions"]
    assert [r["redacted"] for r in contribution["revisions"]] == [True, True]


def test_a_reason_is_required(client, history):
    made, _, moderator = history
    bodies = [{}, {"reason": ""}, {"reason": "   "}, {"reason": "r" * 501}, {"reason": 5}]
    cases = {repr(body): (body, "reason") for body in bodies}

    def send(case):
        return post(client, f"/contributions/{made.id}/redact", case[0], user=moderator)

    assert refusals(send, cases) == refused(cases)
    assert all(row.redacted_at is None for row in revision_rows(made))


def test_a_revision_of_another_contribution_is_a_404(client, history):
    made, _, moderator = history
    other = make_contribution()
    contributions.edit_contribution(moderator, other, "Changed.")
    [foreign] = revision_rows(other)

    assert_error(redact(client, made, moderator, revision_id=foreign.id), 404)
    assert_error(redact(client, made, moderator, revision_id=424242), 404)
    for impossible in (0, -1, 2**31, 2**70):
        assert_error(redact(client, made, moderator, revision_id=impossible), 404)
    assert_error(redact(client, other, moderator, revision_id=424242), 404)
    assert_error(post(client, "/contributions/424242/redact", {"reason": "x"}, user=moderator), 404)
    assert revision_rows(other)[0].redacted_at is None


def test_members_and_suspended_moderators_are_refused_and_readers_must_sign_in(client, history):
    made, author, _ = history

    assert_error(redact(client, made, author), 403)
    assert_error(redact(client, made, make_user()), 403)
    assert_error(redact(client, made, make_moderator(suspended=True)), 403)
    assert_error(redact(client, made, None), 401)
    assert all(row.redacted_at is None for row in revision_rows(made))
    assert redact_lines() == []


def test_the_openapi_document_describes_the_redaction(client):
    spec = ok(client.get("/api/v1/openapi.json"))

    operation = spec["paths"]["/api/v1/contributions/{contribution_id}/redact"]["post"]
    assert "200" in operation["responses"] and "422" in operation["responses"]
    revision = spec["components"]["schemas"]["Revision"]["properties"]
    assert revision["redacted"]["type"] == "boolean"
