"""Redaction on the history page: a moderator removes an earlier version's text (or every
earlier version's) with a reason; everyone then sees "Text removed by a moderator" and its date
in its place."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Revision
from forum.services import contributions, redaction
from tests.factories import make_contribution, make_moderator, make_user
from tests.helpers import page_text
from tests.moderation.helpers import audit_lines

NAME = "Vandersloot"
EARLIER = f"My client {NAME} set one goal a week."
CURRENT = "My client set one goal a week."


@pytest.fixture
def edited():
    made = make_contribution(body=EARLIER)
    contributions.edit_contribution(made.author, made, CURRENT)
    return made


def history_page(client, made):
    return client.get(f"/contributions/{made.id}/revisions")


def revisions_of(made) -> list[Revision]:
    db.session.expire_all()
    query = select(Revision).where(Revision.contribution_id == made.id).order_by(Revision.id)
    return list(db.session.scalars(query))


def test_a_redacted_revision_shows_as_removed_with_its_date_to_everyone(client, login, edited):
    [revision] = revisions_of(edited)
    redaction.redact(make_moderator(), edited, "Client name")

    for viewer in (None, make_user()):
        if viewer is not None:
            login(viewer)
        text = page_text(history_page(client, edited))
        assert NAME not in text
        assert "Text removed by a moderator" in text
        assert revision.edited_at.isoformat() in history_page(client, edited).get_data(True)
        assert CURRENT in text


def test_a_moderator_sees_the_redaction_forms_and_a_member_does_not(client, login, edited):
    login(make_user())
    assert "Remove this text" not in page_text(history_page(client, edited))

    login(make_moderator())
    page = history_page(client, edited).get_data(as_text=True)
    assert "Remove this text" in page_text(history_page(client, edited))
    assert 'name="csrf_token"' in page and 'name="reason"' in page


def test_a_moderator_redacts_one_revision_from_the_history_page(client, login, edited):
    [revision] = revisions_of(edited)
    login(make_moderator())

    response = client.post(
        f"/contributions/{edited.id}/redact",
        data={"reason": "Client name", "revision_id": revision.id},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contributions/{edited.id}/revisions")
    [row] = revisions_of(edited)
    assert (row.body, row.redacted_at is not None) == ("", True)
    assert audit_lines()[-1] == ("redact", "contribution", edited.id)
    assert "Text removed by a moderator" in page_text(history_page(client, edited))


def test_a_moderator_redacts_every_earlier_revision_from_the_history_page(client, login, edited):
    contributions.edit_contribution(edited.author, edited, "My client set two goals a week.")
    login(make_moderator())

    client.post(f"/contributions/{edited.id}/redact", data={"reason": "Client name"})

    assert [row.body for row in revisions_of(edited)] == ["", ""]


def test_redacting_without_a_reason_is_refused_with_a_message(client, login, edited):
    login(make_moderator())

    response = client.post(
        f"/contributions/{edited.id}/redact", data={"reason": " "}, follow_redirects=True
    )

    assert "Say why the text is removed" in page_text(response)
    assert revisions_of(edited)[0].body == EARLIER


def test_members_cannot_redact_from_the_page(client, login, edited):
    login(edited.author)

    response = client.post(f"/contributions/{edited.id}/redact", data={"reason": "mine"})

    assert response.status_code == 403
    assert revisions_of(edited)[0].body == EARLIER
