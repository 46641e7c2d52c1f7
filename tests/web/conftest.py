"""Fixtures for the HTML page tests: logging in through the form."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD


@pytest.fixture
def login(client):
    """Log a user in through the login form, as a person would."""

    def _login(user, password: str = PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return _login
