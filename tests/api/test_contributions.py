"""Contributions API: sharing an experience, reading, editing with revisions, soft delete."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Contribution, Flag, ModerationAction, Prompt, Rating, Revision
from forum.services import contributions, moderation
from tests.api.helpers import (
    REVISION,
    assert_contribution,
    assert_error,
    assert_shape,
    call,
    delete,
    get,
    ok,
    patch,
    post,
    refusals,
    refused,
)
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import fresh, statements_during


def contribute(client, prompt_id: int, body, user, **extra):
    return post(client, f"/prompts/{prompt_id}/contributions", {"body": body, **extra}, user=user)


def contribution_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Contribution.id)))


class _Elements(HTMLParser):
    """Every element and its attributes, as a browser would see them."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


# --- creating -------------------------------------------------------------------------------


def test_a_member_shares_an_experience_under_a_key_point(client):
    prompt = make_prompt()
    key_point = prompt.key_points[1]
    author = make_user(display_name="Ana")
    author.headline = "Executive coach"
    db.session.commit()

    body = ok(
        contribute(
            client,
            prompt.id,
            "Small steps, every week. #Goals #trust",
            author,
            key_point_id=key_point.id,
        ),
        201,
    )

    assert_contribution(body)
    assert (body["prompt_id"], body["key_point_id"]) == (prompt.id, key_point.id)
    assert body["tags"] == ["goals", "trust"]
    assert (body["status"], body["featured"], body["is_new"], body["my_rating"]) == (
        "visible",
        False,
        False,
        None,
    )
    assert body["author"] == {
        "username": author.username,
        "display_name": "Ana",
        "headline": "Executive coach",
    }
    assert body["rating"] == {
        "count": 0,
        "average": None,
        "histogram": [0] * 5,
        "score": pytest.approx(2.047, abs=0.001),
    }
    assert body["edited_at"] is None
    assert body["url"].endswith(f"/contributions/{body['id']}")
    row = fresh(Contribution, body["id"])
    assert (row.author_id, row.body, row.key_point_id) == (
        author.id,
        "Small steps, every week. #Goals #trust",
        key_point.id,
    )
    assert row.tag_names == ["goals", "trust"]
    assert fresh(Prompt, prompt.id).contribution_count == 1


def test_the_answer_to_a_new_contribution_reads_no_ratings_or_outcomes_back(client):
    prompt, author = make_prompt(), make_user()
    with statements_during() as sent:
        body = ok(contribute(client, prompt.id, "Small steps, every week.", author), 201)
    assert (body["my_rating"], body["my_outcome"], body["outcomes"]["tried"]) == (None, None, 0)
    assert not [s for s in sent if "FROM ratings" in s or "FROM outcomes" in s]


def test_a_key_point_of_another_prompt_is_refused(client):
    prompt, other = make_prompt(), make_prompt()
    response = contribute(client, prompt.id, "Hi", make_user(), key_point_id=other.key_points[0].id)
    assert_error(response, 422, "key_point_id")
    assert contribution_count() == 0


def test_an_invalid_contribution_is_refused_with_422(client):
    prompt, member = make_prompt(), make_user()
    cases = {
        "empty body": ({"body": ""}, "body"),
        "blank body": ({"body": "   "}, "body"),
        "body over 20,000 characters": ({"body": "x" * 20_001}, "body"),
        "no body": ({}, "body"),
        "numeric body": ({"body": 5}, "body"),
        "key point as a string": ({"body": "ok", "key_point_id": "1"}, "key_point_id"),
        "fractional key point": ({"body": "ok", "key_point_id": 1.5}, "key_point_id"),
        "unknown key point": ({"body": "ok", "key_point_id": 424242}, "key_point_id"),
        "unknown field": ({"body": "ok", "author_id": 1}, "author_id"),
    }

    def send(case):
        return post(client, f"/prompts/{prompt.id}/contributions", case[0], user=member)

    assert refusals(send, cases) == refused(cases)
    assert contribution_count() == 0


def test_a_body_of_exactly_20000_characters_is_accepted(client):
    body = ok(contribute(client, make_prompt().id, "x" * 20_000, make_user()), 201)
    assert len(body["body"]) == 20_000


@pytest.mark.parametrize("status", ["locked", "archived"])
def test_a_locked_or_archived_prompt_takes_no_contribution(client, status):
    prompt = make_prompt(status=status)
    assert_error(contribute(client, prompt.id, "Too late", make_user()), 409)
    assert contribution_count() == 0


def test_contributing_needs_a_token_and_an_existing_prompt(client):
    prompt = make_prompt()
    assert_error(contribute(client, prompt.id, "Hi", None), 401)
    assert_error(contribute(client, 424242, "Hi", make_user()), 404)
    assert contribution_count() == 0


def test_a_suspended_member_cannot_contribute(client):
    prompt = make_prompt()
    assert_error(contribute(client, prompt.id, "Hi", make_user(suspended=True)), 403)
    assert contribution_count() == 0


def test_the_body_html_is_sanitized(client):
    hostile = "\n\n".join(
        [
            "<script>alert(1)</script>",
            '<img src="x" onerror="alert(2)">',
            "[click](javascript:alert(3))",
            '<a href="javascript:alert(4)" onclick="alert(5)">raw</a>',
            "[ok](https://example.org/page)",
            '![pic](https://example.org/p.png "title")',
        ]
    )

    html = ok(contribute(client, make_prompt().id, hostile, make_user()), 201)["body_html"]

    found = elements(html)
    assert "script" not in {tag for tag, _ in found}
    for _tag, attributes in found:
        assert not any(name.startswith("on") for name in attributes), attributes
        for name in ("href", "src"):
            assert not (attributes.get(name) or "").strip().lower().startswith("javascript:")
    links = [attributes for tag, attributes in found if tag == "a"]
    assert [a["href"] for a in links] == ["https://example.org/page"]
    assert all(a["rel"] == "nofollow ugc noopener" for a in links)


# --- reading --------------------------------------------------------------------------------


def test_a_visible_contribution_is_readable_by_anyone(client):
    made = make_contribution(body="Listen first.")
    body = ok(get(client, f"/contributions/{made.id}"))
    assert_contribution(body)
    assert (body["id"], body["body"], body["body_html"]) == (
        made.id,
        "Listen first.",
        "<p>Listen first.</p>\n",
    )
    assert_error(get(client, "/contributions/424242"), 404)


@pytest.mark.parametrize("status", ["hidden", "deleted"])
def test_a_hidden_or_deleted_contribution_is_seen_only_by_moderators_and_its_author(client, status):
    author = make_user()
    made = make_contribution(author=author)
    if status == "hidden":
        moderation.hide(make_moderator(), made, "off topic")
    else:
        contributions.delete_contribution(author, made)

    assert_error(get(client, f"/contributions/{made.id}"), 404)
    assert_error(get(client, f"/contributions/{made.id}", user=make_user()), 404)
    assert_error(get(client, f"/contributions/{made.id}/revisions"), 404)
    assert ok(get(client, f"/contributions/{made.id}", user=author))["status"] == status
    assert ok(get(client, f"/contributions/{made.id}", user=make_moderator()))["status"] == status
    assert fresh(Contribution, made.id).status == status


# --- editing --------------------------------------------------------------------------------


def test_the_author_edits_and_the_previous_body_is_kept_as_a_revision(client):
    author = make_user(display_name="Ana")
    made = make_contribution(author=author, body="First version #old")

    body = ok(
        patch(client, f"/contributions/{made.id}", {"body": "Second version #new"}, user=author)
    )

    assert_contribution(body)
    assert (body["body"], body["tags"]) == ("Second version #new", ["new"])
    assert body["edited_at"] is not None
    revisions = ok(get(client, f"/contributions/{made.id}/revisions"))["items"]
    for revision in revisions:
        assert_shape(revision, REVISION)
    assert [(r["body"], r["editor"]) for r in revisions] == [("First version #old", "Ana")]
    row = fresh(Contribution, made.id)
    assert (row.body, [r.body for r in row.revisions]) == (
        "Second version #new",
        ["First version #old"],
    )


def test_a_moderator_edit_names_the_moderator_and_lands_in_the_log(client):
    made = make_contribution(body="Before")
    moderator = make_moderator(display_name="Mo")

    ok(patch(client, f"/contributions/{made.id}", {"body": "After"}, user=moderator))

    revisions = ok(get(client, f"/contributions/{made.id}/revisions"))["items"]
    assert [(r["body"], r["editor"]) for r in revisions] == [("Before", "Mo")]
    actions = db.session.scalars(select(ModerationAction.action)).all()
    assert actions == ["create_prompt", "edit_contribution"]


def test_an_unchanged_body_keeps_no_revision(client):
    author = make_user()
    made = make_contribution(author=author, body="Same")
    ok(patch(client, f"/contributions/{made.id}", {"body": "Same"}, user=author))
    assert db.session.scalar(select(Revision.id)) is None


def test_nobody_else_edits_a_contribution(client):
    made = make_contribution(body="Mine")
    assert_error(
        patch(client, f"/contributions/{made.id}", {"body": "Yours"}, user=make_user()), 403
    )
    assert_error(patch(client, f"/contributions/{made.id}", {"body": "Yours"}), 401)
    assert fresh(Contribution, made.id).body == "Mine"


def test_an_edit_on_a_locked_prompt_is_a_conflict_for_the_author_but_not_for_a_moderator(client):
    author = make_user()
    prompt = make_prompt()
    made = make_contribution(prompt=prompt, author=author, body="Before")
    moderator = make_moderator()
    ok(patch(client, f"/prompts/{prompt.id}", {"status": "locked"}, user=moderator))

    assert_error(patch(client, f"/contributions/{made.id}", {"body": "Mine"}, user=author), 409)
    assert fresh(Contribution, made.id).body == "Before"
    ok(patch(client, f"/contributions/{made.id}", {"body": "Moderated"}, user=moderator))
    assert fresh(Contribution, made.id).body == "Moderated"


def test_an_invalid_edit_is_a_422(client):
    author = make_user()
    made = make_contribution(author=author, body="Kept")
    cases = {
        "empty body": ({"body": ""}, "body"),
        "body over 20,000 characters": ({"body": "x" * 20_001}, "body"),
        "no body": ({}, "body"),
        "unknown field": ({"body": "x", "text": "x"}, "text"),
    }

    def send(case):
        return patch(client, f"/contributions/{made.id}", case[0], user=author)

    assert refusals(send, cases) == refused(cases)
    assert fresh(Contribution, made.id).body == "Kept"


# --- deleting -------------------------------------------------------------------------------


def test_the_author_deletes_softly_and_the_contribution_survives_in_their_export(client):
    author = make_user()
    made = make_contribution(author=author, body="Goodbye")
    prompt_id = made.prompt_id

    response = delete(client, f"/contributions/{made.id}", user=author)

    assert response.status_code == 204 and response.data == b""
    assert fresh(Contribution, made.id).status == "deleted"
    assert fresh(Prompt, prompt_id).contribution_count == 0
    assert_error(get(client, f"/contributions/{made.id}"), 404)
    listed = ok(get(client, f"/prompts/{prompt_id}/contributions"))["items"]
    assert listed == []
    export = ok(get(client, "/me/export", user=author))["contributions"]
    assert [(c["id"], c["body"], c["status"]) for c in export] == [(made.id, "Goodbye", "deleted")]


def test_a_moderator_deletes_any_contribution_and_it_is_logged(client):
    made = make_contribution()
    assert delete(client, f"/contributions/{made.id}", user=make_moderator()).status_code == 204
    assert fresh(Contribution, made.id).status == "deleted"
    assert (
        db.session.scalar(select(ModerationAction.action).order_by(ModerationAction.id.desc()))
        == "delete"
    )


def test_nobody_else_deletes_a_contribution(client):
    made = make_contribution()
    assert_error(delete(client, f"/contributions/{made.id}", user=make_user()), 403)
    assert_error(delete(client, f"/contributions/{made.id}"), 401)
    assert_error(delete(client, "/contributions/424242", user=make_user()), 404)
    assert fresh(Contribution, made.id).status == "visible"


# --- what rating and flagging have in common ------------------------------------------------

WRITES_ON_SOMEONE_ELSES = {
    "rating": ("PUT", "rating", {"score": 4}, Rating),
    "flagging": ("POST", "flags", {"reason": "spam"}, Flag),
}


def write_on(client, write: str, contribution_id: int, user, body=None):
    method, suffix, valid, _model = WRITES_ON_SOMEONE_ELSES[write]
    path = f"/contributions/{contribution_id}/{suffix}"
    return call(client, method, path, valid if body is None else body, user=user)


def rows_of(write: str) -> int:
    db.session.expire_all()
    model = WRITES_ON_SOMEONE_ELSES[write][3]
    return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("write", WRITES_ON_SOMEONE_ELSES)
def test_rating_and_flagging_need_a_token_an_active_account_and_a_visible_contribution(
    client, write
):
    made, hidden = make_contribution(), make_contribution()
    moderation.hide(make_moderator(), hidden, "spam")

    assert_error(write_on(client, write, made.id, None), 401)
    assert_error(write_on(client, write, made.id, make_user(suspended=True)), 403)
    assert_error(write_on(client, write, hidden.id, make_user()), 404)
    assert_error(write_on(client, write, 424242, make_user()), 404)
    assert rows_of(write) == 0


def test_an_invalid_rating_or_flag_is_a_422(client):
    made, member = make_contribution(), make_user()
    cases = {
        "rating without a score": (("rating", {}), "score"),
        "rating with a weight": (("rating", {"score": 4, "weight": 2}), "weight"),
        "flag without a reason": (("flagging", {}), "reason"),
        "flag with an unknown reason": (("flagging", {"reason": "boring"}), "reason"),
        "flag with a long note": (("flagging", {"reason": "spam", "note": "n" * 1001}), "note"),
        "flag with a numeric note": (("flagging", {"reason": "spam", "note": 3}), "note"),
        "flag with a severity": (("flagging", {"reason": "spam", "severity": "x"}), "severity"),
    }

    def send(case):
        write, body = case[0]
        return write_on(client, write, made.id, member, body)

    assert refusals(send, cases) == refused(cases)
    assert rows_of("rating") == rows_of("flagging") == 0
