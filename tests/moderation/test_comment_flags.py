"""Flags on comments: the queue shows each flagged comment as its own item beside flagged
contributions, a decision acts on that comment alone, and every act is in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Comment, Contribution, Flag, ModerationAction
from forum.services import comment_moderation, comments, flag_queue
from forum.services.errors import Forbidden
from forum.services.purge import purge
from tests.api.helpers import ok, post
from tests.factories import make_contribution, make_moderator, make_user
from tests.helpers import fresh
from tests.moderation.helpers import audit_lines, flag_it


@pytest.fixture
def flagged(app):
    """A contribution flagged once, and a comment under it flagged twice."""
    answer = make_contribution()
    comment = comments.create_comment(make_user(), answer, "Visit my shop")
    flag_it(answer, "other")
    for _ in range(2):
        comment_moderation.flag_comment(make_user(), fresh(Comment, comment.id), "spam")
    return answer, comment


def test_the_queue_has_one_item_for_the_comment_and_one_for_the_contribution(flagged):
    answer, comment = flagged

    page = flag_queue.flag_groups(make_moderator())

    items = {(g.contribution.id, g.comment.id if g.comment else None): g.count for g in page.items}
    assert items == {(answer.id, None): 1, (answer.id, comment.id): 2}
    assert page.total == 2


def test_dismissing_a_comments_flags_leaves_the_comment_and_the_contributions_flag(flagged):
    answer, comment = flagged
    moderator = make_moderator()

    done = flag_queue.resolve_many(moderator, [], "dismiss", "", comment_ids=[comment.id])

    assert done == 1
    assert fresh(Comment, comment.id).status == "visible"
    statuses = {(f.comment_id, f.status) for f in db.session.query(Flag)}
    assert statuses == {(None, "open"), (comment.id, "dismissed")}
    assert ("flag_dismiss", "comment", comment.id) in audit_lines()


def test_deleting_from_the_queue_page_removes_the_comment_and_its_count(
    app, client, login, flagged
):
    answer, comment = flagged
    login(make_moderator())

    response = client.post(
        "/moderation/bulk", data={"action": "delete", "note": "", "comments": [comment.id]}
    )

    assert response.status_code == 302
    assert fresh(Comment, comment.id).status == "deleted"
    assert fresh(Contribution, answer.id).comment_count == 0
    assert fresh(Contribution, answer.id).status == "visible"
    lines = audit_lines()
    assert ("delete", "comment", comment.id) in lines
    assert ("flag_delete", "comment", comment.id) in lines


def test_a_ticked_comment_that_is_not_a_number_is_a_400(app, client, login, flagged):
    login(make_moderator())
    response = client.post("/moderation/bulk", data={"action": "hide", "comments": ["x"]})
    assert response.status_code == 400


def test_the_database_refuses_a_second_open_flag_by_one_member_on_one_comment(flagged):
    _, comment = flagged
    reporter_id = db.session.query(Flag).filter(Flag.comment_id == comment.id).first().reporter_id
    db.session.add(
        Flag(
            contribution_id=comment.contribution_id,
            target_type="comment",
            comment_id=comment.id,
            reporter_id=reporter_id,
            reason="abuse",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_only_its_author_restores_a_comment_the_author_deleted(app):
    answer = make_contribution()
    author = make_user()
    comment = comments.create_comment(author, answer, "Oops, wrong place")
    comments.delete_comment(author, fresh(Comment, comment.id))

    with pytest.raises(Forbidden):
        comment_moderation.restore_comment(make_moderator(), fresh(Comment, comment.id))
    comment_moderation.restore_comment(author, fresh(Comment, comment.id))

    assert fresh(Comment, comment.id).status == "visible"
    assert fresh(Contribution, answer.id).comment_count == 1


def test_a_purge_hides_each_of_the_members_comments_and_says_how_many(app):
    answer = make_contribution()
    spammer = make_user()
    for n in range(2):
        comments.create_comment(spammer, fresh(Contribution, answer.id), f"spam {n}")

    purge(make_moderator(), spammer, "spam")

    hidden = [line for line in audit_lines() if line[:2] == ("hide", "comment")]
    assert len(hidden) == 2
    reason = db.session.query(ModerationAction.reason).filter_by(action="purge").scalar()
    assert reason == "spam (0 contributions, 2 comments hidden)"
    assert fresh(Contribution, answer.id).comment_count == 0


def test_the_api_refuses_a_moderator_restoring_what_its_author_deleted(app, client):
    answer = make_contribution()
    author = make_user()
    comment = comments.create_comment(author, answer, "Never mind")
    comments.delete_comment(author, fresh(Comment, comment.id))

    response = post(client, f"/comments/{comment.id}/restore", user=make_moderator())

    assert response.status_code == 403
    assert ok(post(client, f"/comments/{comment.id}/restore", user=author))["status"] == "visible"
