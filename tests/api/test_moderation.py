"""Moderation API: flags and their queue, hide / restore / feature, suspensions, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, Flag, ModerationAction, User
from forum.services import moderation
from tests.api.helpers import (
    INT,
    LOG_ENTRY,
    STR,
    TIME,
    USER,
    assert_contribution,
    assert_error,
    assert_page,
    assert_shape,
    delete,
    get,
    ids,
    ok,
    patch,
    post,
    put,
    refusals,
    refused,
)
from tests.factories import (
    make_admin,
    make_contribution,
    make_moderator,
    make_prompt,
    make_user,
)
from tests.helpers import fresh

FLAG = {
    "id": INT,
    "contribution_id": INT,
    "reason": STR,
    "note": STR,
    "status": STR,
    "created_at": TIME,
}


def flag(client, contribution_id: int, user, reason="spam", **extra):
    body = {"reason": reason, **extra}
    return post(client, f"/contributions/{contribution_id}/flags", body, user=user)


def resolve(client, flag_id: int, action: str, moderator, **extra):
    body = {"action": action, **extra}
    return post(client, f"/moderation/flags/{flag_id}/resolve", body, user=moderator)


def flags_of(contribution_id: int) -> list[Flag]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Flag).where(Flag.contribution_id == contribution_id).order_by(Flag.id)
        )
    )


def last_actions(count: int) -> list[tuple[str, str, int]]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(ModerationAction).order_by(ModerationAction.id.desc()).limit(count)
    )
    return [(row.action, row.target_type, row.target_id) for row in rows]


def assert_flag(item: dict) -> None:
    assert_shape(item, FLAG)


# --- flags ----------------------------------------------------------------------------------


def test_a_member_flags_a_contribution(client):
    made, reporter = make_contribution(), make_user()

    body = ok(flag(client, made.id, reporter, "off_topic", note="Not about coaching."), 201)

    assert_flag(body)
    assert (body["contribution_id"], body["reason"], body["note"], body["status"]) == (
        made.id,
        "off_topic",
        "Not about coaching.",
        "open",
    )
    [row] = flags_of(made.id)
    assert (row.id, row.reporter_id, row.reason, row.status) == (
        body["id"],
        reporter.id,
        "off_topic",
        "open",
    )


def test_a_second_open_flag_by_the_same_member_is_a_conflict(client):
    made, reporter = make_contribution(), make_user()
    ok(flag(client, made.id, reporter), 201)

    assert_error(flag(client, made.id, reporter, "abuse"), 409)
    assert len(flags_of(made.id)) == 1
    ok(flag(client, made.id, make_user(), "abuse"), 201)
    assert len(flags_of(made.id)) == 2


def test_a_member_may_flag_again_once_their_flag_was_dismissed(client):
    made, reporter = make_contribution(), make_user()
    first = ok(flag(client, made.id, reporter), 201)
    ok(resolve(client, first["id"], "dismiss", make_moderator()))

    ok(flag(client, made.id, reporter, "abuse"), 201)
    assert [f.status for f in flags_of(made.id)] == ["dismissed", "open"]


def test_a_member_cannot_flag_their_own_contribution(client):
    author = make_user()
    made = make_contribution(author=author)
    assert_error(flag(client, made.id, author), 403)
    assert flags_of(made.id) == []


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_lists_flags_by_status_with_their_contribution(client):
    moderator = make_moderator()
    first, second = make_contribution(), make_contribution()
    open_flag = moderation.flag(make_user(), first, "spam")
    dismissed = moderation.flag(make_user(), second, "abuse")
    moderation.resolve_flag(moderator, dismissed, "dismiss")
    open_id, dismissed_id = open_flag.id, dismissed.id

    def queue(query: str = "") -> list[dict]:
        body = ok(get(client, f"/moderation/flags{query}", user=moderator))
        items = assert_page(body, assert_flag)
        for item in items:
            assert_contribution(item["contribution"])
        return items

    items = queue()
    assert ids(items) == [open_id]
    assert items[0]["contribution"]["id"] == first.id
    assert ids(queue("?status=open")) == [open_id]
    assert ids(queue("?status=dismissed")) == [dismissed_id]
    assert queue("?status=resolved") == []
    assert_error(get(client, "/moderation/flags?status=bogus", user=moderator), 400)


@pytest.mark.parametrize(
    "action, contribution_status, flag_status",
    [
        ("dismiss", "visible", "dismissed"),
        ("hide", "hidden", "resolved"),
        ("delete", "deleted", "resolved"),
    ],
)
def test_resolving_a_flag_resolves_every_open_flag_on_that_contribution(
    client, action, contribution_status, flag_status
):
    moderator = make_moderator(username="mod")
    made, bystander = make_contribution(), make_contribution()
    flags = [moderation.flag(make_user(), made, reason) for reason in ("spam", "abuse")]
    untouched = moderation.flag(make_user(), bystander, "spam")
    flag_ids, untouched_id = [f.id for f in flags], untouched.id

    body = ok(resolve(client, flag_ids[0], action, moderator, note="Checked."))

    assert_flag(body)
    assert (body["id"], body["status"]) == (flag_ids[0], flag_status)
    assert [(f.status, f.resolution) for f in flags_of(made.id)] == [(flag_status, action)] * 2
    assert fresh(Flag, untouched_id).status == "open"
    assert fresh(Contribution, made.id).status == contribution_status
    assert last_actions(1) == [(f"flag_{action}", "contribution", made.id)]


def test_an_invalid_resolution_is_a_422(client):
    made, moderator = make_contribution(), make_moderator()
    item = moderation.flag(make_user(), made, "spam")
    cases = {
        "unknown action": ({"action": "ban"}, "action"),
        "no action": ({}, "action"),
        "numeric note": ({"action": "hide", "note": 5}, "note"),
        "unknown field": ({"action": "hide", "x": 1}, "x"),
    }

    def send(case):
        return post(client, f"/moderation/flags/{item.id}/resolve", case[0], user=moderator)

    assert refusals(send, cases) == refused(cases)
    assert [f.status for f in flags_of(made.id)] == ["open"]
    assert fresh(Contribution, made.id).status == "visible"


def test_resolving_an_unknown_flag_is_a_404(client):
    assert_error(resolve(client, 424242, "dismiss", make_moderator()), 404)


# --- hide, restore, feature -----------------------------------------------------------------


def test_a_moderator_hides_a_contribution_with_a_reason_and_restores_it(client):
    made, moderator = make_contribution(), make_moderator()
    prompt_id = made.prompt_id

    hidden = ok(
        post(client, f"/contributions/{made.id}/hide", {"reason": "Personal data"}, user=moderator)
    )

    assert_contribution(hidden)
    assert (hidden["status"], hidden["hidden_reason"]) == ("hidden", "Personal data")
    row = fresh(Contribution, made.id)
    assert (row.status, row.hidden_reason, row.prompt.contribution_count) == (
        "hidden",
        "Personal data",
        0,
    )
    assert_error(get(client, f"/contributions/{made.id}"), 404)

    restored = ok(post(client, f"/contributions/{made.id}/restore", user=moderator))

    assert restored["status"] == "visible"
    row = fresh(Contribution, made.id)
    assert (row.status, row.hidden_reason, row.prompt.contribution_count) == ("visible", "", 1)
    assert ok(get(client, f"/prompts/{prompt_id}/contributions"))["total"] == 1
    assert last_actions(2) == [
        ("restore", "contribution", made.id),
        ("hide", "contribution", made.id),
    ]


def test_hiding_needs_a_reason(client):
    made, moderator = make_contribution(), make_moderator()
    bodies = [{}, {"reason": ""}, {"reason": "r" * 501}, {"reason": 5}]
    cases = {repr(body): (body, "reason") for body in bodies}

    def send(case):
        return post(client, f"/contributions/{made.id}/hide", case[0], user=moderator)

    assert refusals(send, cases) == refused(cases)
    assert fresh(Contribution, made.id).status == "visible"


def test_a_deleted_contribution_cannot_be_hidden(client):
    author = make_user()
    made = make_contribution(author=author)
    assert delete(client, f"/contributions/{made.id}", user=author).status_code == 204
    response = post(
        client, f"/contributions/{made.id}/hide", {"reason": "x"}, user=make_moderator()
    )
    assert_error(response, 409)
    assert fresh(Contribution, made.id).status == "deleted"


def test_a_moderator_restores_a_contribution_a_moderator_deleted(client):
    made, moderator = make_contribution(), make_moderator()
    assert delete(client, f"/contributions/{made.id}", user=moderator).status_code == 204
    ok(
        post(
            client,
            f"/contributions/{made.id}/restore",
            {"reason": "Mistake"},
            user=make_moderator(),
        )
    )
    assert fresh(Contribution, made.id).status == "visible"


def test_only_its_author_restores_a_contribution_the_author_deleted(client):
    author = make_user()
    made = make_contribution(author=author)
    assert delete(client, f"/contributions/{made.id}", user=author).status_code == 204

    response = post(client, f"/contributions/{made.id}/restore", user=make_moderator())

    assert_error(response, 403)
    assert fresh(Contribution, made.id).status == "deleted"
    ok(post(client, f"/contributions/{made.id}/restore", user=author))
    assert fresh(Contribution, made.id).status == "visible"


def test_a_moderator_features_and_unfeatures_a_contribution(client):
    made, moderator = make_contribution(), make_moderator()

    body = ok(post(client, f"/contributions/{made.id}/feature", user=moderator))
    assert_contribution(body)
    assert body["featured"] is True
    assert fresh(Contribution, made.id).featured is True

    body = ok(delete(client, f"/contributions/{made.id}/feature", user=moderator))
    assert body["featured"] is False
    assert fresh(Contribution, made.id).featured is False
    assert last_actions(2) == [
        ("unfeature", "contribution", made.id),
        ("feature", "contribution", made.id),
    ]


def test_moderation_of_an_unknown_contribution_is_a_404(client):
    moderator = make_moderator()
    assert_error(post(client, "/contributions/424242/hide", {"reason": "x"}, user=moderator), 404)
    assert_error(post(client, "/contributions/424242/restore", user=moderator), 404)
    assert_error(post(client, "/contributions/424242/feature", user=moderator), 404)
    assert_error(delete(client, "/contributions/424242/feature", user=moderator), 404)


# --- suspensions ----------------------------------------------------------------------------


def suspend(client, username: str, actor, **body):
    return post(client, f"/users/{username}/suspend", {"reason": "Spamming", **body}, user=actor)


def writing_targets(member) -> tuple:
    """What a member writes on: a prompt, someone else's contribution and their own."""
    prompt = make_prompt()
    return prompt, make_contribution(prompt=prompt), make_contribution(prompt=prompt, author=member)


def write_attempts(client, member, targets) -> list[int]:
    """One of each kind of write a member makes; their status codes."""
    prompt, theirs, own = targets
    responses = [
        post(client, f"/prompts/{prompt.id}/contributions", {"body": "Hi"}, user=member),
        put(client, f"/contributions/{theirs.id}/rating", {"score": 5}, user=member),
        post(client, f"/contributions/{theirs.id}/flags", {"reason": "spam"}, user=member),
        patch(client, f"/contributions/{own.id}", {"body": "Edited"}, user=member),
        delete(client, f"/contributions/{own.id}", user=member),
        put(client, f"/prompts/{prompt.id}/rating", {"helpful": True}, user=member),
        patch(client, "/me", {"headline": "New"}, user=member),
    ]
    for response in responses:
        if response.status_code >= 400:
            assert_error(response, response.status_code)
    return [response.status_code for response in responses]


ALLOWED = [201, 200, 201, 200, 204, 200, 200]


def test_a_moderator_suspends_a_member_who_can_then_read_but_not_write(client):
    moderator, member = make_moderator(username="mod"), make_user(username="ana")
    targets = writing_targets(member)

    body = ok(suspend(client, "ana", moderator))

    assert_shape(body, USER)
    assert (body["username"], body["status"]) == ("ana", "suspended")
    row = fresh(User, member.id)
    assert (row.status, row.suspension_reason, row.suspended_until) == (
        "suspended",
        "Spamming",
        None,
    )
    assert last_actions(1) == [("suspend", "user", member.id)]
    assert ok(get(client, "/me", user=member))["status"] == "suspended"
    assert ok(get(client, "/prompts", user=member))["total"] == 1
    assert write_attempts(client, member, targets) == [403] * len(ALLOWED)
    assert fresh(Contribution, targets[2].id).body != "Edited"


def test_a_suspension_can_run_until_a_given_time(client):
    member = make_user(username="ana")
    until = datetime.now(UTC) + timedelta(days=7)

    ok(suspend(client, "ana", make_moderator(), until=until.isoformat()))

    assert fresh(User, member.id).suspended_until == until


def test_a_member_whose_suspension_has_ended_writes_again(client):
    member = make_user(username="ana")
    targets = writing_targets(member)
    member.status, member.suspended_until = "suspended", datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert write_attempts(client, member, targets) == ALLOWED


def test_a_member_whose_suspension_has_ended_shows_as_active_on_their_profile(client):
    member = make_user(username="ana")
    member.status, member.suspended_until = "suspended", datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()

    assert ok(get(client, "/users/ana"))["status"] == "active"
    assert ok(get(client, "/me", user=member))["status"] == "active"
    assert ok(get(client, "/me/export", user=member))["user"]["status"] == "active"


def test_a_member_whose_suspension_has_not_ended_shows_as_suspended(client):
    member = make_user(username="ana")
    member.status, member.suspended_until = "suspended", datetime.now(UTC) + timedelta(days=1)
    db.session.commit()

    assert ok(get(client, "/users/ana"))["status"] == "suspended"


def test_an_invalid_suspension_is_a_422(client):
    member, moderator = make_user(username="ana"), make_moderator()
    cases = {
        "blank reason": ({"reason": ""}, "reason"),
        "no reason": ({"reason": None}, "reason"),
        "an end in the past": ({"until": "2000-01-01T00:00:00Z"}, "until"),
        "an end without a time zone": ({"until": "2999-01-01T00:00:00"}, "until"),
        "an end that is no time": ({"until": "next week"}, "until"),
        "an end past year 9999 in UTC": ({"until": "9999-12-31T23:59:59-05:00"}, "until"),
        "an unknown field": ({"ban": True}, "ban"),
    }

    seen = refusals(lambda case: suspend(client, "ana", moderator, **case[0]), cases)

    assert seen == refused(cases)
    assert fresh(User, member.id).status == "active"


def test_a_moderator_lifts_a_suspension(client):
    member = make_user(username="ana")
    targets = writing_targets(member)
    ok(suspend(client, "ana", make_moderator()))

    body = ok(post(client, "/users/ana/unsuspend", user=make_moderator()))

    assert body["status"] == "active"
    assert fresh(User, member.id).status == "active"
    assert last_actions(1) == [("unsuspend", "user", member.id)]
    assert write_attempts(client, member, targets) == ALLOWED


@pytest.mark.parametrize(
    "actor_role, target_role, status",
    [
        ("moderator", "member", 200),
        ("moderator", "moderator", 403),
        ("moderator", "admin", 403),
        ("admin", "moderator", 200),
        ("admin", "admin", 403),
    ],
)
def test_who_may_suspend_whom(client, actor_role, target_role, status):
    actor, target = make_user(role=actor_role), make_user(username="target", role=target_role)
    response = suspend(client, "target", actor)
    if status == 200:
        ok(response)
    else:
        assert_error(response, status)
    assert fresh(User, target.id).status == ("suspended" if status == 200 else "active")


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_nobody_suspends_themselves(client, role):
    actor = make_user(username="self", role=role)
    assert_error(suspend(client, "self", actor), 403)
    assert_error(post(client, "/users/self/unsuspend", user=actor), 403)
    assert fresh(User, actor.id).status == "active"


def test_suspending_an_unknown_member_is_a_404(client):
    assert_error(suspend(client, "nobody", make_moderator()), 404)
    assert_error(post(client, "/users/nobody/unsuspend", user=make_moderator()), 404)


# --- the audit log --------------------------------------------------------------------------


def test_the_log_lists_every_moderation_action_newest_first(client):
    moderator = make_moderator(username="mod")
    made = make_contribution()
    ok(post(client, f"/contributions/{made.id}/hide", {"reason": "Spam link"}, user=moderator))
    ok(post(client, f"/contributions/{made.id}/feature", user=moderator))

    body = ok(get(client, "/moderation/log?per_page=2", user=moderator))

    items = assert_page(body, lambda item: assert_shape(item, LOG_ENTRY), per_page=2)
    assert body["total"] == 3  # and the prompt's creation
    assert [(i["actor"], i["action"], i["target_type"], i["target_id"]) for i in items] == [
        ("mod", "feature", "contribution", made.id),
        ("mod", "hide", "contribution", made.id),
    ]
    assert items[1]["reason"] == "Spam link"
    assert items[0]["id"] > items[1]["id"]
    assert items[0]["created_at"] >= items[1]["created_at"]
    older = ok(get(client, "/moderation/log?per_page=2&page=2", user=moderator))["items"]
    assert [i["action"] for i in older] == ["create_prompt"]
    assert_error(get(client, "/moderation/log?per_page=0", user=moderator), 400)


def test_an_admin_reads_the_log_too(client):
    make_prompt()
    assert ok(get(client, "/moderation/log", user=make_admin()))["total"] == 1
