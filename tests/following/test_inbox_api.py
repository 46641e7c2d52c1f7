"""GET /api/v1/notifications and POST /api/v1/notifications/read."""

from __future__ import annotations

from tests.api.helpers import assert_error, get, ok, post
from tests.factories import make_contribution, make_prompt, make_user
from tests.following.helpers import delivered_inbox, follow, inbox


def three_notifications(client):
    prompt = make_prompt()
    reader = make_user()
    follow(client, reader, "prompt", prompt.id)
    ids = [make_contribution(prompt=prompt).id for _ in range(3)]
    return reader, ids


def test_the_inbox_lists_the_newest_first_with_the_unread_count(client):
    reader, ids = three_notifications(client)
    page = delivered_inbox(client, reader)
    assert [i["contribution_id"] for i in page["items"]] == ids[::-1]
    assert page["total"] == 3 and page["unread_count"] == 3


def test_marking_some_read_leaves_the_others_unread(client):
    reader, _ = three_notifications(client)
    items = delivered_inbox(client, reader)["items"]
    answer = ok(post(client, "/notifications/read", {"ids": [items[0]["id"]]}, user=reader))
    assert answer == {"unread_count": 2}
    unread = inbox(client, reader, unread="true")
    assert [i["id"] for i in unread["items"]] == [items[1]["id"], items[2]["id"]]
    page = inbox(client, reader)
    assert page["total"] == 3 and page["items"][0]["read_at"] is not None


def test_marking_all_read(client):
    reader, _ = three_notifications(client)
    delivered_inbox(client, reader)
    assert ok(post(client, "/notifications/read", {"all": True}, user=reader)) == {
        "unread_count": 0
    }
    assert inbox(client, reader, unread="true")["items"] == []


def test_nobody_marks_anothers_notifications_read(client):
    reader, _ = three_notifications(client)
    items = delivered_inbox(client, reader)["items"]
    other = make_user()
    ok(post(client, "/notifications/read", {"ids": [i["id"] for i in items]}, user=other))
    assert inbox(client, reader)["unread_count"] == 3


def test_a_bad_read_request_is_a_422(client):
    member = make_user()
    assert_error(post(client, "/notifications/read", {}, user=member), 422, "ids")
    assert_error(post(client, "/notifications/read", {"ids": ["x"]}, user=member), 422, "ids")
    assert_error(post(client, "/notifications/read", {"ids": [2**40]}, user=member), 422, "ids")
    assert_error(post(client, "/notifications/read", {"all": "yes"}, user=member), 422, "all")


def test_paging_the_inbox(client):
    reader, ids = three_notifications(client)
    delivered_inbox(client, reader)
    page = inbox(client, reader, page=2, per_page=2)
    assert [i["contribution_id"] for i in page["items"]] == [ids[0]]
    assert page["total"] == 3 and page["page"] == 2 and page["per_page"] == 2
    assert_error(get(client, "/notifications?per_page=0", user=reader), 400, "per_page")
