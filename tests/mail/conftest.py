"""Fixtures of the email suite: every app sends to the real SMTP server of tests/mail_server.py."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest


@pytest.fixture
def app_config_overrides(smtp_server):
    return smtp_server.config


@pytest.fixture(autouse=True)
def unindexed(unindexed_test_data):
    """No test here reads the search index."""


def path_of(link: str) -> str:
    """The path of an emailed link, to follow it with the test client (the link itself is on
    the configured public address, forum.test)."""
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.netloc == "forum.test", link
    return parts.path
