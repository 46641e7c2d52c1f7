"""The harness: an app on a fresh database per test, its client and CLI runner.

SQLite in memory by default. With FORUM_TEST_DATABASE_URL pointing at PostgreSQL, the whole suite
runs there instead, inside a schema of its own that is dropped at the end, so runs never collide;
when that server cannot be reached, every test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import functools
import os
import uuid

import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from werkzeug.security import generate_password_hash

from forum import create_app
from forum.config import TestingConfig
from forum.extensions import db
from forum.services import accounts

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
def app_config_overrides() -> dict:
    """Settings a test module needs on top of the test configuration (override the fixture)."""
    return {}


class SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory across the apps of a run (keyed by name and source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_BYTECODE = SharedBytecode()


@contextlib.contextmanager
def _running_app(tmp_path, postgres_schema, overrides: dict):
    """An app on a fresh database (SQLite in memory, or the suite's PostgreSQL schema)."""
    settings = {"SEARCH_PATH": str(tmp_path / "search-index"), "SERVER_NAME": "forum.test"}
    if postgres_schema:
        settings.update(_postgres_options(postgres_schema))
    else:
        settings["DATABASE_URL"] = "sqlite://"
    app = create_app(base_config(**{**settings, **overrides}))
    app.jinja_env.bytecode_cache = TEMPLATE_BYTECODE
    app.test_client_class = RequestClient
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


@pytest.fixture
def app(tmp_path, postgres_schema, app_config_overrides):
    with _running_app(tmp_path, postgres_schema, app_config_overrides) as app:
        yield app


@pytest.fixture
def client_with(tmp_path, postgres_schema):
    """A client of an app built with extra settings, for tests that need, say, rate limits on:
    `client_with(RATELIMIT_ENABLED=True)`. Use it instead of `app`, not beside it."""
    with contextlib.ExitStack() as stack:

        def build(**overrides):
            return stack.enter_context(
                _running_app(tmp_path, postgres_schema, overrides)
            ).test_client()

        yield build


class RequestClient(FlaskClient):
    """Each request runs in its own app context, as in production: a fresh `g` and a fresh
    database session, so a test sees what was committed, not what a shared session cached."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(autouse=True)
def fast_password_hashes(monkeypatch):
    """Hash with few iterations here: every factory user would otherwise cost about 80 ms.
    check_password_hash reads the method from the stored hash, so logging in works the same."""
    monkeypatch.setattr(
        accounts,
        "generate_password_hash",
        functools.partial(generate_password_hash, method="pbkdf2:sha256:1000"),
    )
