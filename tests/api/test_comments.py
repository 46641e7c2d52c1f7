"""Comments API: questions, context and counter-experiences under a contribution (docs/api.md,
"Comments")."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Comment, Contribution, ModerationAction
from forum.services import comments, moderation, prompts
from tests.api.helpers import (
    AUTHOR,
    INT,
    OBJECT,
    STR,
    TIME,
    assert_error,
    assert_shape,
    delete,
    get,
    nullable,
    ok,
    patch,
    post,
    refusals,
    refused,
)
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import fresh

COMMENT = {
    "id": INT,
    "contribution_id": INT,
    "body": STR,
    "body_html": STR,
    "kind": STR,
    "status": STR,
    "author": OBJECT,
    "created_at": TIME,
    "edited_at": nullable(TIME),
    "url": STR,
}


def comment_on(client, contribution_id: int, body, user, **extra):
    return post(
        client, f"/contributions/{contribution_id}/comments", {"body": body, **extra}, user=user
    )


def listed(client, contribution_id: int, user=None) -> list[str]:
    body = ok(get(client, f"/contributions/{contribution_id}/comments", user=user))
    return [item["body"] for item in body["items"]]


def stored_count(contribution_id: int) -> int:
    return fresh(Contribution, contribution_id).comment_count


@pytest.fixture
def answer(app):
    return make_contribution()


def test_a_member_asks_the_author_a_question(client, answer):
    asker = make_user(username="curious", display_name="Cu Rious")

    body = ok(comment_on(client, answer.id, "How *small* were the steps?", asker), 201)

    assert_shape(body, COMMENT)
    assert_shape(body["author"], AUTHOR)
    assert (body["contribution_id"], body["kind"], body["status"]) == (
        answer.id,
        "question",
        "visible",
    )
    assert body["author"] == {"username": "curious", "display_name": "Cu Rious"}
    assert "<em>small</em>" in body["body_html"]
    assert body["url"].endswith(f"/contributions/{answer.id}/comments#comment-{body['id']}")
    assert body["edited_at"] is None
    assert stored_count(answer.id) == 1
    contribution = ok(get(client, f"/contributions/{answer.id}"))
    assert contribution["comment_count"] == 1


def test_comments_are_listed_oldest_first_with_their_kinds(client, answer):
    member = make_user()
    for body, kind in (("first", "question"), ("second", "context"), ("third", "counter")):
        ok(comment_on(client, answer.id, body, member, kind=kind), 201)

    page = ok(get(client, f"/contributions/{answer.id}/comments?per_page=2"))

    assert [(c["body"], c["kind"]) for c in page["items"]] == [
        ("first", "question"),
        ("second", "context"),
    ]
    assert (page["page"], page["per_page"], page["total"]) == (1, 2, 3)
    later = ok(get(client, f"/contributions/{answer.id}/comments?page=2&per_page=2"))
    assert [c["body"] for c in later["items"]] == ["third"]


def test_bad_comments_get_422_with_the_field_named(client, answer):
    member = make_user()
    cases = {
        "empty": ({"body": "   "}, "body"),
        "too long": ({"body": "x" * 2001}, "body"),
        "not text": ({"body": 42}, "body"),
        "missing": ({"kind": "question"}, "body"),
        "unknown kind": ({"body": "ok", "kind": "praise"}, "kind"),
        "unknown field": ({"body": "ok", "rating": 5}, "rating"),
        "NUL": ({"body": "a\x00b"}, "body"),
    }
    seen = refusals(
        lambda case: post(client, f"/contributions/{answer.id}/comments", case, user=member),
        {label: body for label, (body, _) in cases.items()},
    )
    assert seen == refused(cases)
    assert ok(comment_on(client, answer.id, "x" * 2000, member), 201)["body"] == "x" * 2000
    assert stored_count(answer.id) == 1


def test_a_body_that_is_not_json_or_not_an_object_is_a_4xx(client, answer):
    member = make_user()
    path = f"/contributions/{answer.id}/comments"
    for raw in ("not json", "[1, 2]", '"text"'):
        response = post(client, path, user=member, data=raw, content_type="application/json")
        assert 400 <= response.status_code < 500
        assert_error(response, response.status_code)


def test_comment_markdown_has_no_headings_images_or_scripts(client, answer):
    member = make_user()
    text = (
        "# Big\n\n![pic](https://example.org/a.png) <script>alert(1)</script>"
        " [x](javascript:alert(1))"
    )

    html = ok(comment_on(client, answer.id, text, member), 201)["body_html"]

    for absent in ("<h1", "<img", "<script", 'href="javascript:'):
        assert absent not in html
    assert "# Big" in html


def test_an_at_name_of_a_member_links_to_their_profile(client, answer):
    make_user(username="jane-coach")
    member = make_user()

    html = ok(comment_on(client, answer.id, "Ask @Jane-Coach, not @nobody-here.", member), 201)[
        "body_html"
    ]

    assert '<a href="/u/jane-coach" rel="nofollow ugc noopener">@Jane-Coach</a>' in html
    assert "@nobody-here" in html and "/u/nobody-here" not in html


def test_an_at_name_in_a_contribution_links_too(client, app):
    make_user(username="mentor")
    prompt = make_prompt()
    member = make_user()

    body = ok(
        post(
            client,
            f"/prompts/{prompt.id}/contributions",
            {"body": "Thanks to @mentor."},
            user=member,
        ),
        201,
    )

    assert '<a href="/u/mentor"' in body["body_html"]


def test_who_may_comment(client, answer):
    assert_error(comment_on(client, answer.id, "hi", None), 401)
    assert_error(comment_on(client, answer.id, "hi", make_user(suspended=True)), 403)
    assert_error(comment_on(client, 2**31 + 5, "hi", make_user()), 404)
    assert_error(comment_on(client, 999_999, "hi", make_user()), 404)
    assert stored_count(answer.id) == 0


@pytest.mark.parametrize("status", ["locked", "archived"])
def test_a_locked_or_archived_prompt_takes_no_comments(client, answer, status):
    prompt = answer.prompt
    prompts.update_prompt(prompt.author, prompt, status=status)

    assert_error(comment_on(client, answer.id, "hi", make_user()), 409)
    assert stored_count(answer.id) == 0


def test_the_author_edits_a_comment_and_others_cannot(client, answer):
    author, other = make_user(), make_user()
    comment = ok(comment_on(client, answer.id, "before", author), 201)
    path = f"/comments/{comment['id']}"

    assert_error(patch(client, path, {"body": "hijacked"}, user=other), 403)
    assert_error(patch(client, path, {"body": ""}, user=author), 422, "body")
    assert_error(patch(client, path, {"body": "x", "kind": "context"}, user=author), 422, "kind")
    edited = ok(patch(client, path, {"body": "after **now**"}, user=author))

    assert edited["body"] == "after **now**" and "<strong>now</strong>" in edited["body_html"]
    assert edited["edited_at"] is not None
    assert listed(client, answer.id) == ["after **now**"]


def test_a_moderator_edits_any_comment_and_the_log_says_so(client, answer):
    comment = ok(comment_on(client, answer.id, "rude words", make_user()), 201)
    moderator = make_moderator()

    ok(patch(client, f"/comments/{comment['id']}", {"body": "[removed]"}, user=moderator))

    actions = db.session.scalars(
        select(ModerationAction.action).where(ModerationAction.target_type == "comment")
    )
    assert list(actions) == ["edit_comment"]


def test_deleted_comments_disappear_and_stop_counting(client, answer):
    author = make_user()
    keep = ok(comment_on(client, answer.id, "keep", author), 201)
    gone = ok(comment_on(client, answer.id, "gone", author), 201)

    assert_error(delete(client, f"/comments/{gone['id']}", user=make_user()), 403)
    response = delete(client, f"/comments/{gone['id']}", user=author)

    assert response.status_code == 204
    assert listed(client, answer.id) == ["keep"]
    assert listed(client, answer.id, make_moderator()) == ["keep"]
    assert stored_count(answer.id) == 1
    assert_error(patch(client, f"/comments/{gone['id']}", {"body": "x"}, user=make_user()), 404)
    assert keep["id"] != gone["id"]


def test_a_hidden_comment_disappears_for_readers_until_restored(client, answer):
    author, moderator, reader = make_user(), make_moderator(), make_user()
    comment = ok(comment_on(client, answer.id, "spammy", author), 201)
    path = f"/comments/{comment['id']}"

    assert_error(post(client, f"{path}/hide", {"reason": "spam"}, user=reader), 403)
    assert_error(post(client, f"{path}/hide", {}, user=moderator), 422, "reason")
    hidden = ok(post(client, f"{path}/hide", {"reason": "spam"}, user=moderator))

    assert hidden["status"] == "hidden"
    assert listed(client, answer.id) == [] and listed(client, answer.id, reader) == []
    assert listed(client, answer.id, moderator) == ["spammy"]
    assert listed(client, answer.id, author) == ["spammy"]
    assert stored_count(answer.id) == 0
    assert_error(post(client, f"{path}/restore", user=author), 403)

    restored = ok(post(client, f"{path}/restore", user=moderator))

    assert restored["status"] == "visible"
    assert listed(client, answer.id) == ["spammy"]
    assert stored_count(answer.id) == 1
    log = db.session.execute(
        select(ModerationAction.action, ModerationAction.reason).where(
            ModerationAction.target_type == "comment"
        )
    ).all()
    assert [tuple(row) for row in log] == [("hide", "spam"), ("restore", "")]


def test_comments_on_a_hidden_contribution_are_not_shown(client, answer):
    ok(comment_on(client, answer.id, "a question", make_user()), 201)
    moderator = make_moderator()
    moderation.hide(moderator, answer, "off topic")

    assert_error(get(client, f"/contributions/{answer.id}/comments"), 404)
    assert_error(get(client, f"/contributions/{answer.id}/comments", user=make_user()), 404)
    assert listed(client, answer.id, moderator) == ["a question"]
    assert_error(comment_on(client, answer.id, "more", make_user()), 404)


def test_a_member_flags_a_comment_once(client, answer):
    author, reporter = make_user(), make_user()
    comment = ok(comment_on(client, answer.id, "buy pills", author), 201)
    path = f"/comments/{comment['id']}/flags"

    flag = ok(post(client, path, {"reason": "spam", "note": "ad"}, user=reporter), 201)

    assert (flag["target_type"], flag["comment_id"], flag["contribution_id"]) == (
        "comment",
        comment["id"],
        answer.id,
    )
    assert_error(post(client, path, {"reason": "spam"}, user=reporter), 409)
    assert_error(post(client, path, {"reason": "spam"}, user=author), 403)
    assert_error(post(client, path, {"reason": "rude"}, user=make_user()), 422, "reason")
    assert_error(post(client, path, {"reason": "spam"}), 401)
    # A flag on the comment is not one on the contribution: that one can still be sent.
    other = ok(
        post(client, f"/contributions/{answer.id}/flags", {"reason": "spam"}, user=reporter), 201
    )
    assert (other["target_type"], other["comment_id"]) == ("contribution", None)


def test_the_queue_lists_comment_flags_and_resolving_hides_the_comment_only(client, answer):
    comment = ok(comment_on(client, answer.id, "buy pills", make_user()), 201)
    ok(post(client, f"/comments/{comment['id']}/flags", {"reason": "spam"}, user=make_user()), 201)
    ok(
        post(client, f"/contributions/{answer.id}/flags", {"reason": "other"}, user=make_user()),
        201,
    )
    moderator = make_moderator()

    queue = ok(get(client, "/moderation/flags", user=moderator))
    by_type = {item["target_type"]: item for item in queue["items"]}
    assert set(by_type) == {"comment", "contribution"}
    assert by_type["comment"]["comment"]["body"] == "buy pills"
    assert by_type["contribution"]["comment"] is None

    flag_id = by_type["comment"]["id"]
    resolved = ok(
        post(client, f"/moderation/flags/{flag_id}/resolve", {"action": "hide"}, user=moderator)
    )

    assert resolved["status"] == "resolved"
    assert fresh(Comment, comment["id"]).status == "hidden"
    assert fresh(Contribution, answer.id).status == "visible"
    still_open = ok(get(client, "/moderation/flags", user=moderator))["items"]
    assert [item["target_type"] for item in still_open] == ["contribution"]


def test_the_export_holds_the_members_comments(client, answer):
    member = make_user()
    ok(comment_on(client, answer.id, "mine", member, kind="context"), 201)
    ok(comment_on(client, answer.id, "not mine", make_user()), 201)

    export = ok(get(client, "/me/export", user=member))

    assert [(c["body"], c["kind"], c["contribution_id"]) for c in export["comments"]] == [
        ("mine", "context", answer.id)
    ]


def test_purging_a_member_hides_their_comments(client, answer):
    spammer = make_user()
    ok(comment_on(client, answer.id, "spam one", spammer), 201)
    ok(comment_on(client, answer.id, "fine", make_user()), 201)

    ok(post(client, f"/users/{spammer.username}/purge", {"reason": "spam"}, user=make_moderator()))

    assert listed(client, answer.id) == ["fine"]
    assert stored_count(answer.id) == 1


def test_recount_repairs_a_wrong_comment_count(app, client, answer):
    ok(comment_on(client, answer.id, "one", make_user()), 201)
    ok(comment_on(client, answer.id, "two", make_user()), 201)
    db.session.execute(Contribution.__table__.update().values(comment_count=7))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["recount"])

    assert result.exit_code == 0, result.output
    assert "Fixed the comment count of 1 contribution(s)." in result.output
    assert stored_count(answer.id) == 2


def test_the_cached_listing_shows_a_new_comment_at_once(client, answer):
    listing = f"/prompts/{answer.prompt_id}/contributions"
    assert ok(get(client, listing))["items"][0]["comment_count"] == 0

    ok(comment_on(client, answer.id, "hello", make_user()), 201)

    assert ok(get(client, listing))["items"][0]["comment_count"] == 1


def test_comment_writes_are_rate_limited(client_with):
    client = client_with(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="2 per minute")
    with client.application.app_context():
        answer = make_contribution()
        member = make_user()
        statuses = [comment_on(client, answer.id, f"c{i}", member).status_code for i in range(3)]
    assert statuses == [201, 201, 429]


def test_the_openapi_document_describes_comments(client):
    spec = ok(client.get("/api/v1/openapi.json"))
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/contributions/{contribution_id}/comments"])
    assert {"patch", "delete"} <= set(paths["/api/v1/comments/{comment_id}"])
    for action in ("flags", "hide", "restore"):
        assert "post" in paths[f"/api/v1/comments/{{comment_id}}/{action}"]
    assert "Comment" in spec["components"]["schemas"]


def test_the_service_never_counts_with_python_arithmetic(app, answer):
    """Two comments written by two sessions both count (the UPDATE adds in SQL)."""
    member = make_user()
    comments.create_comment(member, answer, "one")
    stale = db.session.get(Contribution, answer.id)
    comments.create_comment(make_user(), stale, "two")
    assert stored_count(answer.id) == 2
