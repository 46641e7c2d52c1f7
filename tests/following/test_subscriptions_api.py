"""PUT, GET and DELETE /api/v1/subscriptions, as docs/api.md says."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_error, delete, get, ok, put
from tests.factories import make_contribution, make_prompt, make_topic, make_user


@pytest.fixture
def prompt():
    return make_prompt(topic=make_topic(slug="life-coaching"), tags=("listening",))


def test_following_each_kind_of_target_names_it_as_the_api_does(client, prompt):
    member, other = make_user(), make_user(username="tom")
    key_point = prompt.key_points[0].id
    wanted = [
        ("prompt", prompt.id),
        ("key_point", key_point),
        ("topic", "life-coaching"),
        ("tag", "listening"),
        ("user", "tom"),
    ]
    for target_type, target in wanted:
        body = {"target_type": target_type, "target": target, "level": "watching"}
        answer = ok(put(client, "/subscriptions", body, user=member))
        assert answer["target_type"] == target_type and answer["target"] == target
        assert answer["level"] == "watching" and isinstance(answer["id"], int)
    del other

    page = ok(get(client, "/subscriptions", user=member))
    assert page["total"] == 5 and page["page"] == 1 and page["per_page"] == 20
    assert sorted((i["target_type"], i["target"]) for i in page["items"]) == sorted(wanted)


def test_putting_again_changes_the_level_of_the_one_subscription(client, prompt):
    member = make_user()
    first = ok(
        put(client, "/subscriptions", {"target_type": "prompt", "target": prompt.id}, user=member)
    )
    again = ok(
        put(
            client,
            "/subscriptions",
            {"target_type": "prompt", "target": prompt.id, "level": "muted"},
            user=member,
        )
    )
    assert again["id"] == first["id"] and again["level"] == "muted"
    assert ok(get(client, "/subscriptions", user=member))["total"] == 1


def test_names_are_read_whatever_their_case(client, prompt):
    member = make_user()
    make_user(username="coach-ann")
    body = {"target_type": "user", "target": "Coach-Ann"}
    assert ok(put(client, "/subscriptions", body, user=member))["target"] == "coach-ann"
    body = {"target_type": "tag", "target": "#Listening"}
    assert ok(put(client, "/subscriptions", body, user=member))["target"] == "listening"


@pytest.mark.parametrize(
    "target_type, target",
    [
        ("prompt", 999999),
        ("key_point", 999999),
        ("topic", "nope"),
        ("tag", "nope"),
        ("user", "nobody"),
    ],
)
def test_an_unknown_target_is_a_404(client, prompt, target_type, target):
    body = {"target_type": target_type, "target": target}
    assert_error(put(client, "/subscriptions", body, user=make_user()), 404)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"target_type": "planet", "target": 1}, "target_type"),
        ({"target_type": "prompt", "target": "abc"}, "target"),
        ({"target_type": "prompt", "target": True}, "target"),
        ({"target_type": "topic", "target": 5}, "target"),
        ({"target_type": "prompt", "target": 1, "level": "loud"}, "level"),
        ({"target_type": "prompt"}, "target"),
        ({"target_type": "prompt", "target": 1, "extra": 1}, "extra"),
    ],
)
def test_a_malformed_subscription_is_a_422_naming_the_field(client, prompt, body, field):
    assert_error(put(client, "/subscriptions", body, user=make_user()), 422, field)


def test_deleting_a_subscription_stops_it_and_only_its_member_may(client, prompt):
    member, other = make_user(), make_user()
    sub = ok(
        put(client, "/subscriptions", {"target_type": "prompt", "target": prompt.id}, user=member)
    )
    assert_error(delete(client, f"/subscriptions/{sub['id']}", user=other), 404)
    assert delete(client, f"/subscriptions/{sub['id']}", user=member).status_code == 204
    assert ok(get(client, "/subscriptions", user=member))["total"] == 0
    assert_error(delete(client, f"/subscriptions/{sub['id']}", user=member), 404)


def test_following_needs_a_token(client, prompt):
    assert_error(get(client, "/subscriptions"), 401)
    assert_error(put(client, "/subscriptions", {"target_type": "prompt", "target": prompt.id}), 401)
    assert_error(get(client, "/notifications"), 401)
    assert_error(client.post("/api/v1/notifications/read", json={"all": True}), 401)


def test_a_suspended_member_still_manages_what_reaches_them(client, prompt):
    member = make_user(suspended=True)
    body = {"target_type": "prompt", "target": prompt.id, "level": "muted"}
    assert ok(put(client, "/subscriptions", body, user=member))["level"] == "muted"


def test_authors_watch_what_they_wrote(client, prompt):
    author = make_user()
    contribution = make_contribution(prompt=prompt, author=author)
    items = ok(get(client, "/subscriptions", user=author))["items"]
    assert [(i["target_type"], i["target"]) for i in items] == [("contribution", contribution.id)]
    prompt_author = ok(get(client, "/subscriptions", user=prompt.author))["items"]
    assert [(i["target_type"], i["target"]) for i in prompt_author] == [("prompt", prompt.id)]
