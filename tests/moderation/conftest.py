"""Fixtures of the moderation suite: the page suite's login through the form, and the API
suite's factory rows kept out of the search outbox (only the search tests read the index)."""

from __future__ import annotations

from tests.api.conftest import unindexed_test_data  # noqa: F401 - an autouse fixture
from tests.web.conftest import login  # noqa: F401 - a fixture
