"""Redacted text is not findable: search indexes only a contribution's current body, never its
earlier versions, so once a moderator edits a name out and redacts the earlier versions, no
search finds it or shows it in a snippet. Runs against each search engine."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.services import contributions, redaction
from tests.factories import make_contribution, make_moderator, make_prompt
from tests.search.engines import pytest_generate_tests  # noqa: F401 - one run per engine
from tests.search.helpers import indexed_keys, search

NAME = "Vandersloot"
FIRST = f"My client {NAME} learnt patience from small weekly goals. #patience"
EDITED = "My client learnt patience from small weekly goals. #patience"


@pytest.fixture
def indexed(app):
    """Test data goes through the search outbox here, as every write does in production."""
    db.session.info["search_capture"] = True


@pytest.fixture
def redacted(indexed):
    made = make_contribution(prompt=make_prompt(title="Patience with clients"), body=FIRST)
    assert f"c:{made.id}" in indexed_keys(NAME)
    moderator = make_moderator()
    contributions.edit_contribution(moderator, made, EDITED)
    redaction.redact(moderator, made, "A client's name")
    return made


def test_searching_a_redacted_word_finds_nothing(client, redacted):
    body = search(client, NAME)

    assert body["total"] == 0 and body["items"] == []
    assert indexed_keys(NAME) == set()


def test_no_snippet_shows_the_redacted_word(client, redacted):
    found = search(client, "patience weekly goals")

    assert [item["id"] for item in found["items"] if item["type"] == "contribution"] == [
        redacted.id
    ]
    assert all(NAME.lower() not in item["snippet"].lower() for item in found["items"])
