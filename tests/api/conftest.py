"""Fixtures of the API suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def unindexed(unindexed_test_data):
    """No API test but search's reads the index: indexing every factory row would triple the
    time of this suite."""
