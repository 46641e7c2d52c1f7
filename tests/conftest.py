"""The harness: an app on a fresh database per test, its client and CLI runner."""

from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient

from forum import create_app
from forum.config import TestingConfig
from forum.extensions import db


def _database_url(tmp_path) -> str:
    return os.environ.get("FORUM_TEST_DATABASE_URL") or "sqlite://"


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            **{k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()},
            "DATABASE_URL": _database_url(tmp_path),
            "SEARCH_PATH": str(tmp_path / "search-index"),
            "SERVER_NAME": "forum.test",
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


class RequestClient(FlaskClient):
    """Each request runs in its own app context, as in production: a fresh `g` and a fresh
    database session, so a test sees what was committed, not what a shared session cached."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = RequestClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
