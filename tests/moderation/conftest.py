"""Fixtures of the moderation suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def unindexed(unindexed_test_data):
    """Only the search tests read the index: factory rows here skip the search outbox."""
