"""The audit log page: newest first, paged, linked to what was acted on, and never editable."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationAction
from forum.services import moderation
from tests.factories import make_contribution, make_moderator, make_user
from tests.helpers import page_text
from tests.moderation.helpers import audit_count


def test_the_log_shows_actor_action_target_and_reason_newest_first(client, login):
    moderator = make_moderator(username="mona")
    contribution = make_contribution()
    member = make_user(username="spammy")
    moderation.hide(moderator, contribution, "rude words")
    moderation.suspend(moderator, member, "bot account")
    login(moderator)

    response = client.get("/moderation/log")
    markup = response.get_data(as_text=True)
    text = page_text(response)

    assert text.index("suspend") < text.index("rude words")
    assert "mona hide contribution" in text and "rude words" in text
    assert "mona suspend spammy bot account" in text
    assert f'href="/contributions/{contribution.id}"' in markup
    assert 'href="/u/spammy"' in markup


def test_the_log_is_paged(client, login):
    moderator = make_moderator()
    contribution = make_contribution()
    for n in range(20):  # after the prompt's own line: 21 lines, one more than a page
        moderation.set_featured(moderator, contribution, n % 2 == 0)
    login(moderator)

    first, second = client.get("/moderation/log"), client.get("/moderation/log?page=2")

    assert "Page 1 of 2" in page_text(first) and "create_prompt" not in page_text(first)
    assert "create_prompt" in page_text(second)
    assert "feature contribution" not in page_text(second)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_no_route_edits_or_deletes_an_audit_line(client, login, method):
    moderator = make_moderator()
    moderation.hide(moderator, make_contribution(), "kept forever")
    line = db.session.scalar(select(ModerationAction).order_by(ModerationAction.id.desc()))
    login(make_user(role="admin"))
    before = audit_count()

    answers = [
        client.open(path, method=method).status_code
        for path in ("/moderation/log", f"/moderation/log/{line.id}", "/api/v1/moderation/log")
    ]

    assert all(code in (404, 405) for code in answers), answers
    assert audit_count() == before
    assert db.session.get(ModerationAction, line.id).reason == "kept forever"


def test_no_route_on_the_log_accepts_a_write(app):
    writable = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "log" in rule.rule.split("/") and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert writable == []
