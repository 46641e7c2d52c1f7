"""Fixtures of the following and notifications suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def unindexed(unindexed_test_data):
    """Nothing here reads the search index."""
