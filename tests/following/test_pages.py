"""Following and the inbox on the pages: follow and mute buttons (plain forms with CSRF that come
back to the page), the page of what a member follows, the inbox, and the unread count in the
header; readers who are not signed in see the pages as before."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Subscription
from forum.services import delivery, moderation
from tests.factories import (
    PASSWORD,
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
)
from tests.helpers import csrf_token, page_text, prompt_page, statements_during


@pytest.fixture
def app_config_overrides(queued_for_later) -> dict:
    return {**queued_for_later, "WTF_CSRF_ENABLED": True}


def signed_in(app, user):
    browser = app.test_client()
    form = browser.get("/login")
    response = browser.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(form)},
    )
    assert response.status_code == 302
    return browser


def press(browser, page, target_type, target_id, level):
    """Press a follow button of `page` (a response): the form posts and comes back."""
    back = page.request.full_path.rstrip("?")
    response = browser.post(
        "/follow",
        data={
            "target_type": target_type,
            "target_id": target_id,
            "level": level,
            "next": back,
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith(back)
    return browser.get(back)


def levels(user) -> dict:
    rows = db.session.execute(
        select(Subscription.target_type, Subscription.target_id, Subscription.level).where(
            Subscription.user_id == user.id
        )
    )
    return {(t, i): level for t, i, level in rows}


def test_following_a_prompt_and_a_key_point_from_its_page(app):
    prompt = make_prompt()
    member = make_user()
    browser = signed_in(app, member)
    page = prompt_page(browser, prompt)
    assert "Follow this prompt" in page.text and "Follow this key point" in page.text

    page = press(browser, page, "prompt", prompt.id, "watching")
    assert "You follow this prompt." in page_text(page)
    key_point = prompt.key_points[0].id
    page = press(browser, page, "key_point", key_point, "muted")
    assert "You muted this key point." in page_text(page)
    assert levels(member) == {("prompt", prompt.id): "watching", ("key_point", key_point): "muted"}

    page = press(browser, page, "prompt", prompt.id, "none")
    assert "You follow this prompt." not in page_text(page)
    assert levels(member) == {("key_point", key_point): "muted"}


def test_readers_who_are_not_signed_in_see_no_follow_button(app, client):
    prompt = make_prompt()
    page = prompt_page(client, prompt)
    assert page.status_code == 200
    assert "follow-form" not in page.text and "Inbox" not in page.text


def test_a_follow_without_its_csrf_token_is_refused(app):
    prompt = make_prompt()
    member = make_user()
    browser = signed_in(app, member)
    response = browser.post(
        "/follow", data={"target_type": "prompt", "target_id": prompt.id, "level": "watching"}
    )
    assert response.status_code == 400
    assert levels(member) == {}


def test_following_a_target_that_is_not_there_is_a_404(app):
    member = make_user()
    browser = signed_in(app, member)
    home = browser.get("/")
    response = browser.post(
        "/follow",
        data={
            "target_type": "topic",
            "target_id": 999999,
            "level": "watching",
            "csrf_token": csrf_token(home),
        },
    )
    assert response.status_code == 404


@pytest.mark.parametrize("where", ["topic", "user", "tag"])
def test_following_a_topic_a_member_and_a_tag_from_their_pages(app, where):
    topic = make_topic(slug="life-coaching")
    prompt = make_prompt(topic=topic, tags=("listening",))
    author = make_user(username="tom")
    make_contribution(prompt=prompt, author=author)
    member = make_user()
    browser = signed_in(app, member)
    address, target_type, ident, name = {
        "topic": ("/topics/life-coaching", "topic", topic.id, "this topic"),
        "user": ("/u/tom", "user", author.id, "this member"),
        "tag": ("/search?tag=listening", "tag", prompt.tags[0].id, "this tag"),
    }[where]
    page = browser.get(address)
    assert f"Follow {name}" in page.text
    page = press(browser, page, target_type, ident, "watching")
    assert f"You follow {name}." in page_text(page)
    assert levels(member) == {(target_type, ident): "watching"}


def test_a_member_sees_no_follow_button_on_their_own_profile(app):
    member = make_user(username="ann")
    browser = signed_in(app, member)
    page = browser.get("/u/ann")
    assert "Follow this member" not in page.text and "What you follow" in page.text


def test_the_page_of_what_a_member_follows_changes_and_removes_each(app):
    topic = make_topic(name="Team Coaching", slug="team-coaching")
    member = make_user()
    browser = signed_in(app, member)
    press(browser, browser.get("/topics/team-coaching"), "topic", topic.id, "watching")
    listing = browser.get("/following")
    assert "Team Coaching" in listing.text and "Following" in page_text(listing)

    listing = press(browser, listing, "topic", topic.id, "muted")
    assert "Muted" in page_text(listing)
    subscription = db.session.scalar(
        select(Subscription.id).where(Subscription.user_id == member.id)
    )
    removed = browser.post(
        f"/following/{subscription}/remove", data={"csrf_token": csrf_token(listing)}
    )
    assert removed.status_code == 302
    assert levels(member) == {}
    assert "You follow nothing yet" in browser.get("/following").text


def test_the_inbox_shows_what_arrived_with_the_unread_count_in_the_header(app):
    prompt = make_prompt(title="How do you open a first session?")
    member = make_user()
    browser = signed_in(app, member)
    press(browser, prompt_page(browser, prompt), "prompt", prompt.id, "watching")
    make_contribution(prompt=prompt, author=make_user(display_name="Tom Becker"))
    make_contribution(prompt=prompt, author=make_user(display_name="Ann Lee"))
    delivery.deliver_pending()

    home = browser.get("/")
    assert re.search(r"Inbox\s*<span class=\"badge\">2", home.text)
    inbox = browser.get("/inbox")
    text = page_text(inbox)
    assert "Ann Lee shared an experience on “How do you open a first session?”" in text
    assert text.index("Ann Lee") < text.index("Tom Becker")  # newest first
    assert text.count("Unread") >= 2

    read = browser.post("/inbox/read", data={"csrf_token": csrf_token(inbox)})
    assert read.status_code == 302
    assert 'class="badge"' not in browser.get("/").text
    assert "Nothing unread." in browser.get("/inbox?unread=1").text
    assert "Tom Becker" in browser.get("/inbox").text


def test_a_hidden_contribution_leaves_the_inbox(app):
    prompt = make_prompt()
    member = make_user()
    db.session.add(Subscription(user_id=member.id, target_type="prompt", target_id=prompt.id))
    db.session.commit()
    contribution = make_contribution(prompt=prompt, author=make_user(display_name="Spammer"))
    delivery.deliver_all()
    browser = signed_in(app, member)
    assert "Spammer" in browser.get("/inbox").text
    moderation.hide(make_moderator(), contribution, "spam")
    assert "Spammer" not in browser.get("/inbox").text
    assert 'class="badge"' not in browser.get("/").text


def test_a_members_prompt_page_reads_their_follows_in_the_query_it_already_makes(app):
    prompt = make_prompt()
    make_contribution(prompt=prompt)
    member = make_user()
    browser = signed_in(app, member)
    statements: list[str] = []

    def count() -> int:
        with statements_during() as sent:
            assert prompt_page(browser, prompt).status_code == 200
        statements[:] = sent
        return len(statements)

    count()  # the shared part built and kept
    before = count()
    page = prompt_page(browser, prompt)
    page = press(browser, page, "prompt", prompt.id, "watching")
    press(browser, page, "key_point", prompt.key_points[0].id, "muted")
    assert count() == before
    assert not any("FROM subscriptions" in s and "UNION" not in s for s in statements)


def test_a_prompt_page_shows_the_unread_count_read_with_the_members_marks(app):
    prompt = make_prompt(title="How do you open a first session?")
    other = make_prompt()
    member = make_user()
    db.session.add(Subscription(user_id=member.id, target_type="prompt", target_id=other.id))
    db.session.commit()
    make_contribution(prompt=other, author=make_user())
    make_contribution(prompt=other, author=make_user())
    make_contribution(prompt=other, author=make_user())
    delivery.deliver_pending()
    browser = signed_in(app, member)
    prompt_page(browser, prompt)  # the shared part built and kept
    with statements_during() as statements:
        page = prompt_page(browser, prompt)
    assert re.search(r"Inbox\s*<span class=\"badge\">3", page.text)
    # No statement of its own: the count came with the member's marks on the page.
    assert not any("FROM notifications" in s and "UNION" not in s for s in statements)

    browser.post("/inbox/read", data={"csrf_token": csrf_token(browser.get("/inbox"))})
    assert 'class="badge"' not in prompt_page(browser, prompt).text


def test_a_follow_button_answers_in_place_for_the_pages_script(app):
    prompt = make_prompt()
    member = make_user()
    browser = signed_in(app, member)
    page = prompt_page(browser, prompt)
    response = browser.post(
        "/follow",
        data={
            "target_type": "prompt",
            "target_id": prompt.id,
            "level": "watching",
            "next": page.request.path,
            "csrf_token": csrf_token(page),
        },
        headers={"X-Requested-With": "commonplace-enhance", "Accept": "application/json"},
    )
    assert response.status_code == 200 and response.is_json
    answer = response.get_json()
    assert answer["message"] == "You follow it now."
    assert (
        "You follow this prompt." in answer["form_html"] and "data-in-place" in answer["form_html"]
    )
    assert levels(member) == {("prompt", prompt.id): "watching"}
    assert "You follow this prompt." in page_text(prompt_page(browser, prompt))
