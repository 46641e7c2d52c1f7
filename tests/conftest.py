"""The harness: an app on a fresh database per test, its client and CLI runner.

SQLite in memory by default. With FORUM_TEST_DATABASE_URL pointing at PostgreSQL, the whole suite
runs there instead, inside a schema of its own that is dropped at the end, so runs never collide;
when that server cannot be reached, every test is skipped with the reason.
"""

from __future__ import annotations

import os
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from forum import create_app
from forum.config import TestingConfig
from forum.extensions import db

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")


def base_config(**overrides) -> dict:
    """The test configuration as a dict, for tests that build an app of their own."""
    config = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def postgres_schema():
    """A fresh schema on the PostgreSQL test server, with the tables created once."""
    if not POSTGRES_URL:
        yield None
        return
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error.__class__.__name__}")
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(base_config(**_postgres_options(schema)))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    try:
        yield schema
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _postgres_options(schema: str) -> dict:
    return {
        "DATABASE_URL": POSTGRES_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


def _empty_postgres_tables() -> None:
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(tmp_path, postgres_schema):
    overrides = {"SEARCH_PATH": str(tmp_path / "search-index"), "SERVER_NAME": "forum.test"}
    if postgres_schema:
        overrides.update(_postgres_options(postgres_schema))
    else:
        overrides["DATABASE_URL"] = "sqlite://"
    app = create_app(base_config(**overrides))
    with app.app_context():
        if not postgres_schema:
            db.create_all()
        yield app
        db.session.remove()
        if postgres_schema:
            _empty_postgres_tables()
        else:
            db.drop_all()
        db.engine.dispose()


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
