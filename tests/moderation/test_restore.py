"""Restoring: moderators bring back what a moderator hid or deleted; only its author brings back
a contribution the author deleted (moderators still see it, and get 403)."""

from __future__ import annotations

from forum.models import Contribution, Prompt
from forum.services import contributions, moderation
from tests.api.helpers import assert_error, delete, get, ok, post
from tests.factories import make_contribution, make_moderator, make_user
from tests.helpers import fresh
from tests.moderation.helpers import audit_lines, flag_it


def restore(client, made, user):
    return post(client, f"/contributions/{made.id}/restore", user=user)


def deleted_by_its_author():
    author = make_user()
    made = make_contribution(author=author)
    contributions.delete_contribution(author, made)
    return author, made


def test_a_moderator_cannot_restore_what_its_author_deleted_but_still_sees_it(client):
    _, made = deleted_by_its_author()
    moderator = make_moderator()

    body = assert_error(restore(client, made, moderator), 403)

    assert "author" in body["message"]
    assert fresh(Contribution, made.id).status == "deleted"
    assert ok(get(client, f"/contributions/{made.id}", user=moderator))["status"] == "deleted"
    assert ("restore", "contribution", made.id) not in audit_lines()


def test_a_moderator_cannot_restore_what_its_author_deleted_from_the_page_either(client, login):
    _, made = deleted_by_its_author()
    login(make_moderator())

    response = client.post(f"/contributions/{made.id}/restore")

    assert response.status_code == 403
    assert fresh(Contribution, made.id).status == "deleted"


def test_the_author_restores_what_they_deleted(client):
    author, made = deleted_by_its_author()

    body = ok(restore(client, made, author))

    assert body["status"] == "visible"
    row = fresh(Contribution, made.id)
    assert (row.status, row.deleted_by_author) == ("visible", False)
    assert fresh(Prompt, made.prompt_id).contribution_count == 1
    assert ok(get(client, f"/contributions/{made.id}"))["status"] == "visible"


def test_a_suspended_author_cannot_restore_what_they_deleted(client):
    author, made = deleted_by_its_author()
    moderation.suspend(make_moderator(), author, "cool off")

    assert_error(restore(client, made, author), 403)
    assert fresh(Contribution, made.id).status == "deleted"


def test_a_contribution_its_author_deleted_while_hidden_comes_back_hidden(client):
    author = make_user()
    made = make_contribution(author=author)
    moderation.hide(make_moderator(), made, "advertising")
    contributions.delete_contribution(author, made)

    body = ok(restore(client, made, author))

    assert (body["status"], body["hidden_reason"]) == ("hidden", "advertising")
    assert fresh(Prompt, made.prompt_id).contribution_count == 0
    assert_error(get(client, f"/contributions/{made.id}"), 404)


def test_a_moderator_restores_what_a_moderator_deleted_and_its_author_cannot(client):
    author = make_user()
    made = make_contribution(author=author)
    assert delete(client, f"/contributions/{made.id}", user=make_moderator()).status_code == 204
    assert fresh(Contribution, made.id).deleted_by_author is False

    assert_error(restore(client, made, author), 403)
    assert fresh(Contribution, made.id).status == "deleted"

    ok(restore(client, made, make_moderator()))
    assert fresh(Contribution, made.id).status == "visible"
    assert audit_lines()[-1] == ("restore", "contribution", made.id)


def test_a_moderator_restores_what_a_flag_resolution_deleted(client):
    made = make_contribution()
    moderator = make_moderator()
    moderation.resolve_flag(moderator, flag_it(made), "delete")

    ok(restore(client, made, moderator))

    assert fresh(Contribution, made.id).status == "visible"


def test_a_moderator_who_deleted_their_own_contribution_restores_it_as_its_author(client):
    moderator = make_moderator()
    made = make_contribution(author=moderator)
    contributions.delete_contribution(moderator, made)

    assert_error(restore(client, made, make_moderator()), 403)
    ok(restore(client, made, moderator))

    assert fresh(Contribution, made.id).status == "visible"


def test_a_member_cannot_restore_someone_elses_hidden_contribution(client):
    made = make_contribution()
    moderation.hide(make_moderator(), made, "advertising")

    assert_error(restore(client, made, make_user()), 403)
    assert_error(post(client, f"/contributions/{made.id}/restore"), 401)
    assert fresh(Contribution, made.id).status == "hidden"
