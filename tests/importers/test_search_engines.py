"""Imported content is found by either search engine: bulk inserts bypass the ORM, so the
Whoosh engine gets them through the outbox and PostgreSQL through its triggers."""

from __future__ import annotations

import pytest

from tests.search.helpers import found


@pytest.mark.parametrize("search_backend", ["whoosh", "postgres"], indirect=True)
def test_imported_answers_and_questions_are_found(app, client, imported):
    hits = found(client, "zanzibarian")
    assert [kind for kind, _ in hits] == ["contribution"]
    assert "prompt" in {kind for kind, _ in found(client, "motivated")}
