"""Every way a member hears of something, end to end: an API write records one event, the worker
delivers it, and the notification is in GET /api/v1/notifications."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Notification, NotificationEvent
from forum.services.delivery import deliver_all
from tests.api.helpers import ISO_UTC, delete, post
from tests.factories import make_moderator, make_prompt, make_topic, make_user
from tests.following.helpers import delivered_inbox, follow, kinds


def write(client, prompt, author, body="Small steps worked for me. #goals", key_point_id=None):
    payload = {"body": body}
    if key_point_id is not None:
        payload["key_point_id"] = key_point_id
    response = post(client, f"/prompts/{prompt.id}/contributions", payload, user=author)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def world():
    topic = make_topic()
    prompt = make_prompt(topic=topic, tags=("coaching",))
    return topic, prompt


def test_a_member_watching_a_prompt_hears_of_a_new_contribution(client, world):
    _, prompt = world
    reader, author = make_user(), make_user(display_name="Tom Becker")
    follow(client, reader, "prompt", prompt.id)
    contribution_id = write(client, prompt, author)

    page = delivered_inbox(client, reader)

    assert page["unread_count"] == 1 and page["total"] == 1
    item = page["items"][0]
    assert item["kind"] == "contribution"
    assert item["actor"] == {"username": author.username, "display_name": "Tom Becker"}
    assert item["prompt"] == {"id": prompt.id, "title": prompt.title}
    assert item["contribution_id"] == contribution_id
    assert item["comment_id"] is None
    assert "Tom Becker" in item["text"] and prompt.title in item["text"]
    assert item["url"].endswith(f"/contributions/{contribution_id}")
    assert ISO_UTC.match(item["created_at"]) and item["read_at"] is None


@pytest.mark.parametrize("how", ["key_point", "topic", "tag", "prompt_tag", "user"])
def test_a_member_hears_through_every_kind_of_follow(client, world, how):
    topic, prompt = world
    reader, author = make_user(), make_user()
    key_point = prompt.key_points[1].id
    target_type, target = {
        "key_point": ("key_point", key_point),
        "topic": ("topic", topic.slug),
        "tag": ("tag", "goals"),  # the contribution's own #goals
        "prompt_tag": ("tag", "coaching"),  # the prompt's tag
        "user": ("user", author.username),
    }[how]
    if how == "tag":
        write(client, prompt, make_user(), "Earlier, to make the tag. #goals")
        deliver_all()
    follow(client, reader, target_type, target)
    contribution_id = write(client, prompt, author, key_point_id=key_point)

    assert kinds(delivered_inbox(client, reader)) == [("contribution", contribution_id)]


def test_a_key_point_watch_hears_nothing_of_another_key_point(client, world):
    _, prompt = world
    reader = make_user()
    follow(client, reader, "key_point", prompt.key_points[0].id)
    write(client, prompt, make_user(), key_point_id=prompt.key_points[1].id)
    assert delivered_inbox(client, reader)["items"] == []


def test_nobody_hears_of_their_own_contribution(client, world):
    _, prompt = world
    author = make_user()
    follow(client, author, "prompt", prompt.id)
    write(client, prompt, author)
    assert delivered_inbox(client, author)["total"] == 0


def test_the_author_of_a_prompt_watches_it(client, world):
    _, prompt = world  # written by a moderator, through the service
    contribution_id = write(client, prompt, make_user())
    page = delivered_inbox(client, prompt.author)
    assert kinds(page) == [("contribution", contribution_id)]


def test_many_follows_notify_once(client, world):
    topic, prompt = world
    reader, author = make_user(), make_user()
    for target_type, target in (
        ("prompt", prompt.id),
        ("topic", topic.slug),
        ("tag", "coaching"),
        ("user", author.username),
    ):
        follow(client, reader, target_type, target)
    write(client, prompt, author)
    assert delivered_inbox(client, reader)["total"] == 1


@pytest.mark.parametrize("muted", ["prompt", "topic", "user"])
def test_muted_on_any_matching_follow_silences_it(client, world, muted):
    topic, prompt = world
    reader, author = make_user(), make_user()
    follow(client, reader, "tag", "coaching")
    target = {"prompt": prompt.id, "topic": topic.slug, "user": author.username}[muted]
    follow(client, reader, muted, target, level="muted")
    write(client, prompt, author)
    assert delivered_inbox(client, reader)["total"] == 0


def test_a_contribution_writes_one_event_whatever_the_watchers(client, world):
    _, prompt = world
    for _ in range(5):
        follow(client, make_user(), "prompt", prompt.id)
    events_before = db.session.query(NotificationEvent).count()
    write(client, prompt, make_user())
    assert db.session.query(NotificationEvent).count() == events_before + 1
    assert db.session.query(Notification).count() == 0  # the worker has not run yet


def test_a_hidden_contributions_notification_disappears_and_returns_with_it(client, world):
    _, prompt = world
    reader, moderator = make_user(), make_moderator()
    follow(client, reader, "prompt", prompt.id)
    contribution_id = write(client, prompt, make_user())
    assert delivered_inbox(client, reader)["unread_count"] == 1

    hidden = post(
        client, f"/contributions/{contribution_id}/hide", {"reason": "spam"}, user=moderator
    )
    assert hidden.status_code == 200
    page = delivered_inbox(client, reader)
    assert page["items"] == [] and page["unread_count"] == 0

    restored = post(client, f"/contributions/{contribution_id}/restore", user=moderator)
    assert restored.status_code == 200
    assert kinds(delivered_inbox(client, reader)) == [("contribution", contribution_id)]


def test_a_deleted_contributions_notification_disappears(client, world):
    _, prompt = world
    reader, author = make_user(), make_user()
    follow(client, reader, "prompt", prompt.id)
    contribution_id = write(client, prompt, author)
    deliver = delivered_inbox(client, reader)
    assert deliver["total"] == 1
    assert delete(client, f"/contributions/{contribution_id}", user=author).status_code == 204
    assert delivered_inbox(client, reader)["total"] == 0


def test_the_author_hears_why_a_moderator_hid_their_contribution(client, world):
    _, prompt = world
    author, moderator = make_user(), make_moderator()
    contribution_id = write(client, prompt, author)
    reason = "Names a client: please keep them anonymous."
    post(client, f"/contributions/{contribution_id}/hide", {"reason": reason}, user=moderator)

    page = delivered_inbox(client, author)
    assert kinds(page) == [("moderation", contribution_id)]
    item = page["items"][0]
    assert reason in item["text"]
    assert item["actor"] is None  # moderators act as the site
    assert item["prompt"]["id"] == prompt.id


def test_the_author_hears_of_a_restore_and_a_feature(client, world):
    _, prompt = world
    author, moderator = make_user(), make_moderator()
    contribution_id = write(client, prompt, author)
    post(client, f"/contributions/{contribution_id}/hide", {"reason": "check"}, user=moderator)
    post(client, f"/contributions/{contribution_id}/restore", user=moderator)
    post(client, f"/contributions/{contribution_id}/feature", user=moderator)

    texts = [item["text"] for item in delivered_inbox(client, author)["items"]]
    assert len(texts) == 3
    assert "picked" in texts[0] and "restored" in texts[1] and "hid" in texts[2]


def test_a_watch_begun_after_the_contribution_does_not_hear_of_it(client, world):
    _, prompt = world
    reader = make_user()
    write(client, prompt, make_user())  # not delivered yet when the reader starts watching
    follow(client, reader, "prompt", prompt.id)
    assert delivered_inbox(client, reader)["items"] == []
