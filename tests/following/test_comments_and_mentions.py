"""Comments and mentions, end to end: a comment reaches the contribution's author and the members
who commented before; `@username` in a contribution or a comment reaches that member, once even
when they also watch; muting silences both; a hidden comment leaves the inbox and its author hears
why."""

from __future__ import annotations

from tests.api.helpers import patch, post
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.following.helpers import delivered_inbox, follow, kinds


def comment(client, contribution_id, author, body="How did you start?"):
    response = post(
        client, f"/contributions/{contribution_id}/comments", {"body": body}, user=author
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_comment_reaches_the_contributions_author_and_earlier_commenters(client):
    author, first, second = make_user(), make_user(), make_user(display_name="Ann Lee")
    contribution = make_contribution(author=author)
    comment(client, contribution.id, first)
    comment_id = comment(client, contribution.id, second, "Same question here.")

    page = delivered_inbox(client, author)
    assert [i["kind"] for i in page["items"]] == ["comment", "comment"]
    latest = page["items"][0]
    assert latest["comment_id"] == comment_id and latest["contribution_id"] == contribution.id
    assert latest["actor"]["display_name"] == "Ann Lee" and "commented" in latest["text"]
    assert [i["comment_id"] for i in delivered_inbox(client, first)["items"]] == [comment_id]
    assert delivered_inbox(client, second)["items"] == []  # nobody hears of their own


def test_a_mention_in_a_contribution_reaches_the_member_named(client):
    prompt = make_prompt()
    named = make_user(username="coach-ann")
    contribution_id = post(
        client,
        f"/prompts/{prompt.id}/contributions",
        {"body": "As @Coach-Ann taught me: small steps."},
        user=make_user(),
    ).get_json()["id"]
    assert kinds(delivered_inbox(client, named)) == [("mention", contribution_id)]


def test_a_member_who_watches_and_is_mentioned_hears_once_of_the_mention(client):
    prompt = make_prompt()
    named = make_user(username="tom")
    follow(client, named, "prompt", prompt.id)
    make_contribution(prompt=prompt, body="Ask @tom, he knows.")
    page = delivered_inbox(client, named)
    assert [i["kind"] for i in page["items"]] == ["mention"]


def test_a_mention_in_a_comment_reaches_the_member_named(client):
    named = make_user(username="ann")
    contribution = make_contribution()
    comment_id = comment(client, contribution.id, make_user(), "What would @ann say?")
    items = delivered_inbox(client, named)["items"]
    assert [(i["kind"], i["comment_id"]) for i in items] == [("mention", comment_id)]


def test_muting_the_prompt_silences_mentions_and_comments_there(client):
    prompt = make_prompt()
    named = make_user(username="ann")
    follow(client, named, "prompt", prompt.id, level="muted")
    contribution = make_contribution(prompt=prompt, author=named)
    make_contribution(prompt=prompt, body="Hello @ann.")
    comment(client, contribution.id, make_user())
    assert delivered_inbox(client, named)["items"] == []


def test_muting_a_member_silences_their_mentions(client):
    pest, named = make_user(username="pest"), make_user(username="ann")
    follow(client, named, "user", "pest", level="muted")
    make_contribution(author=pest, body="@ann look at this")
    assert delivered_inbox(client, named)["items"] == []


def test_a_hidden_comment_leaves_the_inbox_and_its_author_hears_why(client):
    author, commenter, moderator = make_user(), make_user(), make_moderator()
    contribution = make_contribution(author=author)
    comment_id = comment(client, contribution.id, commenter)
    assert delivered_inbox(client, author)["total"] == 1

    hidden = post(client, f"/comments/{comment_id}/hide", {"reason": "Off topic."}, user=moderator)
    assert hidden.status_code == 200, hidden.get_json()
    assert delivered_inbox(client, author)["total"] == 0
    items = delivered_inbox(client, commenter)["items"]
    assert [(i["kind"], i["comment_id"]) for i in items] == [("moderation", comment_id)]
    assert "comment" in items[0]["text"] and "Off topic." in items[0]["text"]


def test_an_edit_that_names_someone_new_mentions_them_and_nobody_twice(client):
    ann, tom = make_user(username="ann"), make_user(username="tom")
    author = make_user()
    contribution = make_contribution(author=author, body="Ask @ann about this.")
    assert kinds(delivered_inbox(client, ann)) == [("mention", contribution.id)]

    edited = patch(
        client,
        f"/contributions/{contribution.id}",
        {"body": "Ask @ann, or @tom, about this."},
        user=author,
    )
    assert edited.status_code == 200, edited.get_json()
    assert kinds(delivered_inbox(client, tom)) == [("mention", contribution.id)]
    assert delivered_inbox(client, ann)["total"] == 1

    patch(client, f"/contributions/{contribution.id}", {"body": "No names now."}, user=author)
    patch(client, f"/contributions/{contribution.id}", {"body": "@ann again."}, user=author)
    assert delivered_inbox(client, ann)["total"] == 1


def test_an_edited_comment_that_names_someone_new_mentions_them(client):
    ann = make_user(username="ann")
    commenter = make_user()
    comment_id = comment(client, make_contribution().id, commenter, "A question.")
    edited = patch(
        client, f"/comments/{comment_id}", {"body": "A question for @ann."}, user=commenter
    )
    assert edited.status_code == 200, edited.get_json()
    items = delivered_inbox(client, ann)["items"]
    assert [(i["kind"], i["comment_id"]) for i in items] == [("mention", comment_id)]
