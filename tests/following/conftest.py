"""Fixtures of the following and notifications suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def unindexed(unindexed_test_data):
    """Nothing here reads the search index."""


@pytest.fixture
def queued_for_later(tmp_path) -> dict:
    """A task queue that keeps its tasks for a worker (the tests' default runs each at once), so
    a test sees what a write leaves before the worker delivers it."""
    return {"QUEUE_IMMEDIATE": False, "QUEUE_PATH": str(tmp_path / "queue.db")}


@pytest.fixture
def app_config_overrides(queued_for_later) -> dict:
    return queued_for_later
