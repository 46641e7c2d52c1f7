"""Fixtures of the API suite."""

from __future__ import annotations

import pytest

from forum.extensions import db


@pytest.fixture(autouse=True)
def unindexed_test_data(app):
    """Rows the factories make in the test's own session skip the search outbox: indexing each
    one would triple the time of this suite, and no API test but search's reads the index. The
    API's own writes run in sessions of their own and are indexed as in production."""
    db.session.info["search_capture"] = False
