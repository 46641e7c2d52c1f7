"""Comments on the pages: under each card the first three, the rest a link away; a small form
for members that posts without JavaScript and comes back to the card; edit, delete, flag, hide
and restore; nothing stale in the readers' shared copy of the page."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import Comment, Contribution, Flag
from forum.services import comment_moderation, comments, moderation, prompts
from tests.factories import PASSWORD, make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import csrf_token, fresh, page_text, prompt_page, statements_during


@pytest.fixture(params=["SimpleCache", "NullCache"])
def app_config_overrides(request) -> dict:
    """With the shared parts of pages kept between requests, and without; CSRF on."""
    return {"CACHE_TYPE": request.param, "WTF_CSRF_ENABLED": True}


def signed_in(app, user):
    browser = app.test_client()
    form = browser.get("/login")
    response = browser.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(form)},
    )
    assert response.status_code == 302
    browser.get("/")
    return browser


def card(html: str, contribution_id: int) -> str:
    """The HTML of one contribution's card."""
    pieces = html.split('<article class="card contribution')
    found = [piece for piece in pieces[1:] if f'id="c{contribution_id}"' in piece.split(">", 1)[0]]
    assert found, f"no card c{contribution_id}"
    return found[0].split('<section class="contribute"')[0]


def comment_bodies(html: str) -> list[str]:
    return re.findall(r'<div class="prose comment__body"><p>(.*?)</p>', html, re.S)


@pytest.fixture
def world(app):
    prompt = make_prompt()
    author = make_user(display_name="Ann Author")
    answer = make_contribution(prompt=prompt, author=author, body="Start with one small step.")
    return prompt, author, answer


def post_comment(browser, page, answer, body, kind="question"):
    return browser.post(
        f"/contributions/{answer.id}/comments",
        data={
            "body": body,
            "kind": kind,
            "next": page.request.path,
            "csrf_token": csrf_token(page),
        },
    )


def test_a_member_comments_from_the_card_and_comes_back_to_it(app, world):
    prompt, _, answer = world
    member = make_user(display_name="Quinn Asker")
    browser = signed_in(app, member)
    page = prompt_page(browser, prompt)
    assert f'action="/contributions/{answer.id}/comments"' in card(page.text, answer.id)

    response = post_comment(browser, page, answer, "How small a step?", "question")

    assert response.status_code == 302
    assert response.location.endswith(f"/prompts/{prompt.id}/{prompt.slug}#c{answer.id}")
    shown = card(prompt_page(browser, prompt).text, answer.id)
    assert comment_bodies(shown) == ["How small a step?"]
    assert "Question" in shown and "Quinn Asker" in shown and "<time" in shown
    # Readers who are not signed in see it at once (the shared copy moved with the comment).
    reader = card(prompt_page(app.test_client(), prompt).text, answer.id)
    assert comment_bodies(reader) == ["How small a step?"]


def test_a_reader_sees_a_new_comment_in_the_cached_page_at_once(app, world):
    prompt, _, answer = world
    reader = app.test_client()
    assert comment_bodies(prompt_page(reader, prompt).text) == []

    comments.create_comment(make_user(), fresh(Contribution, answer.id), "Fresh question")

    assert comment_bodies(prompt_page(reader, prompt).text) == ["Fresh question"]
    comment = db.session.query(Comment).one()
    comments.delete_comment(comment.author, fresh(Comment, comment.id))
    assert comment_bodies(prompt_page(reader, prompt).text) == []


def test_the_card_shows_three_comments_and_links_to_the_rest(app, world):
    prompt, _, answer = world
    member = make_user()
    for n in range(1, 6):
        comments.create_comment(member, fresh(Contribution, answer.id), f"Comment {n}")

    html = card(prompt_page(app.test_client(), prompt).text, answer.id)

    assert comment_bodies(html) == ["Comment 1", "Comment 2", "Comment 3"]
    assert "Show 2 more comments" in html
    everything = app.test_client().get(f"/contributions/{answer.id}/comments")
    assert everything.status_code == 200
    assert comment_bodies(everything.text) == [f"Comment {n}" for n in range(1, 6)]


def statements_on_page(app, browser, cards: int, per_card: int) -> tuple[list[str], str]:
    """The statements a member's prompt page runs, for a prompt of `cards` contributions with
    `per_card` comments each, and the page."""
    prompt = make_prompt()
    for n in range(cards):
        answer = make_contribution(prompt=prompt, body=f"Answer {n}")
        for m in range(per_card):
            comments.create_comment(make_user(), fresh(Contribution, answer.id), f"c{n}-{m}")
    with statements_during() as statements:
        html = prompt_page(browser, prompt).text
    return statements, html


def test_the_comments_of_every_card_are_read_in_one_query(app):
    browser = signed_in(app, make_user())
    make_prompt()  # both pages then have related reading to find and keep, alike
    few, _ = statements_on_page(app, browser, 1, 1)
    many, html = statements_on_page(app, browser, 6, 4)

    assert len(comment_bodies(html)) == 6 * 3
    assert html.count("Show 1 more comment<") == 6
    assert len([s for s in many if "FROM comments" in s]) == 1
    assert len(many) == len(few)


def test_a_page_whose_cards_have_no_comments_does_not_ask_for_them(app):
    """Each card counts its visible comments: a page where none has any (most pages) reads no
    comments at all, and a card with some is still asked about."""
    browser = signed_in(app, make_user())
    statements, html = statements_on_page(app, browser, 3, 0)
    assert [s for s in statements if "FROM comments" in s] == []
    assert "Ask the author a question" in html or "Post comment" in html

    statements, html = statements_on_page(app, browser, 3, 1)
    assert len([s for s in statements if "FROM comments" in s]) == 1
    assert len(comment_bodies(html)) == 3


def test_a_locked_prompt_shows_comments_but_no_form(app, world):
    prompt, _, answer = world
    comments.create_comment(make_user(), fresh(Contribution, answer.id), "Earlier question")
    prompts.update_prompt(prompt.author, fresh(type(prompt), prompt.id), status="locked")
    browser = signed_in(app, make_user())

    html = card(prompt_page(browser, prompt).text, answer.id)

    assert comment_bodies(html) == ["Earlier question"]
    assert f'action="/contributions/{answer.id}/comments"' not in html
    assert "Post comment" not in html


def test_a_reader_is_asked_to_log_in_and_has_no_form(app, world):
    prompt, _, answer = world
    html = card(prompt_page(app.test_client(), prompt).text, answer.id)
    assert "Post comment" not in html
    assert "Log in</a> to ask the author a question" in html


def test_an_empty_or_too_long_comment_comes_back_with_the_error(app, world):
    prompt, _, answer = world
    browser = signed_in(app, make_user())
    page = prompt_page(browser, prompt)

    response = post_comment(browser, page, answer, "x" * 2001)

    assert response.status_code == 422
    assert "Use at most 2000 characters" in page_text(response)
    assert "x" * 2001 in response.text
    assert fresh(Contribution, answer.id).comment_count == 0
    assert post_comment(browser, page, answer, "   ").status_code == 422


def test_a_post_without_its_csrf_token_is_refused(app, world):
    _, _, answer = world
    browser = signed_in(app, make_user())
    response = browser.post(f"/contributions/{answer.id}/comments", data={"body": "hi"})
    assert response.status_code == 400
    assert fresh(Contribution, answer.id).comment_count == 0


def test_the_author_edits_and_deletes_their_comment_others_only_flag_it(app, world):
    prompt, _, answer = world
    writer, other = make_user(), make_user()
    comment = comments.create_comment(writer, fresh(Contribution, answer.id), "Typo here")
    mine = signed_in(app, writer)
    theirs = signed_in(app, other)

    own_card = card(prompt_page(mine, prompt).text, answer.id)
    other_card = card(prompt_page(theirs, prompt).text, answer.id)
    assert (
        f"/comments/{comment.id}/edit" in own_card
        and f"/comments/{comment.id}/flags" not in own_card
    )
    assert (
        f"/comments/{comment.id}/edit" not in other_card
        and f"/comments/{comment.id}/flags" in other_card
    )
    assert theirs.get(f"/comments/{comment.id}/edit").status_code == 403

    form = mine.get(f"/comments/{comment.id}/edit")
    response = mine.post(
        f"/comments/{comment.id}/edit", data={"body": "No typo", "csrf_token": csrf_token(form)}
    )
    assert response.status_code == 302
    assert comment_bodies(prompt_page(app.test_client(), prompt).text) == ["No typo"]

    confirm = mine.get(f"/comments/{comment.id}/delete")
    assert (
        mine.post(
            f"/comments/{comment.id}/delete", data={"csrf_token": csrf_token(confirm)}
        ).status_code
        == 302
    )
    assert comment_bodies(prompt_page(app.test_client(), prompt).text) == []


def test_flagging_a_comment_from_the_page(app, world):
    prompt, _, answer = world
    comment = comments.create_comment(make_user(), fresh(Contribution, answer.id), "Buy now")
    browser = signed_in(app, make_user())
    page = prompt_page(browser, prompt)

    response = browser.post(
        f"/comments/{comment.id}/flags",
        data={
            "reason": "spam",
            "note": "",
            "next": page.request.path,
            "csrf_token": csrf_token(page),
        },
    )

    assert response.status_code == 302 and response.location.endswith(f"#c{answer.id}")
    flag = db.session.query(Flag).one()
    assert (flag.target_type, flag.comment_id) == ("comment", comment.id)


def test_a_moderator_hides_and_restores_a_comment_from_the_page(app, world):
    prompt, _, answer = world
    comment = comments.create_comment(make_user(), fresh(Contribution, answer.id), "Rude remark")
    moderator = signed_in(app, make_moderator())
    page = prompt_page(moderator, prompt)
    assert f"/comments/{comment.id}/hide" in card(page.text, answer.id)

    response = moderator.post(
        f"/comments/{comment.id}/hide", data={"reason": "Be kind", "csrf_token": csrf_token(page)}
    )

    assert response.status_code == 302
    assert comment_bodies(prompt_page(app.test_client(), prompt).text) == []
    shown_to_moderator = card(prompt_page(moderator, prompt).text, answer.id)
    assert "Rude remark" in shown_to_moderator and "Be kind" in shown_to_moderator
    assert f"/comments/{comment.id}/restore" in shown_to_moderator

    page = prompt_page(moderator, prompt)
    moderator.post(f"/comments/{comment.id}/restore", data={"csrf_token": csrf_token(page)})
    assert comment_bodies(prompt_page(app.test_client(), prompt).text) == ["Rude remark"]


def test_a_member_cannot_hide_a_comment(app, world):
    _, _, answer = world
    comment = comments.create_comment(make_user(), fresh(Contribution, answer.id), "Fine")
    browser = signed_in(app, make_user())
    page = browser.get(f"/contributions/{answer.id}/comments")
    response = browser.post(
        f"/comments/{comment.id}/hide", data={"reason": "no", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 403
    assert fresh(Comment, comment.id).status == "visible"


def test_comments_on_a_hidden_contribution_are_not_shown(app, world):
    prompt, author, answer = world
    comments.create_comment(make_user(), fresh(Contribution, answer.id), "Under a hidden one")
    moderation.hide(make_moderator(), fresh(Contribution, answer.id), "spam")

    assert "Under a hidden one" not in prompt_page(app.test_client(), prompt).text
    assert app.test_client().get(f"/contributions/{answer.id}/comments").status_code == 404


def test_the_moderation_queue_lists_a_flagged_comment(app, world):
    _, _, answer = world
    comment = comments.create_comment(make_user(), fresh(Contribution, answer.id), "Spam link")
    comment_moderation.flag_comment(make_user(), fresh(Comment, comment.id), "spam")
    moderator = signed_in(app, make_moderator())

    queue = moderator.get("/moderation")

    assert queue.status_code == 200
    text = page_text(queue)
    assert "Spam link" in text and "comment" in text.lower()
    token = csrf_token(queue)
    flag_id = db.session.query(Flag).one().id
    response = moderator.post(
        f"/moderation/flags/{flag_id}/resolve",
        data={"action": "hide", "note": "", "csrf_token": token},
    )
    assert response.status_code == 302
    assert fresh(Comment, comment.id).status == "hidden"
    assert fresh(Contribution, answer.id).status == "visible"
