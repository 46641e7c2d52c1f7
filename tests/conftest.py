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
from tests.factories import PASSWORD

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL", "")
# Where the PostgreSQL search engine's tests look for a server when the suite runs on SQLite.
LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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
    with _schema_on(POSTGRES_URL) as schema:
        yield schema


@contextlib.contextmanager
def _schema_on(url: str):
    """A schema of its own on this server, with the tables created; skips when unreachable."""
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {url}: {error.__class__.__name__}")
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(base_config(**_postgres_options(schema, url)))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    try:
        yield schema
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_search_database(postgres_schema):
    """(url, schema) where the PostgreSQL search engine's tests run: the suite's own schema when
    the suite runs on PostgreSQL, else a schema of its own on the local test server (dropped at
    the end); the tests are skipped, saying why, when no server answers."""
    if postgres_schema:
        yield POSTGRES_URL, postgres_schema
        return
    url = os.environ.get("FORUM_TEST_SEARCH_POSTGRES_URL", LOCAL_POSTGRES_URL)
    with _schema_on(url) as schema:
        yield url, schema


@pytest.fixture
def search_backend(request) -> str:
    """The engine the test's app searches with: whoosh, unless the test runs for each engine
    (tests/search/engines.py)."""
    return getattr(request, "param", "whoosh")


def _database(request, postgres_schema, search_backend: str) -> tuple[str, str] | None:
    """(url, schema) of the PostgreSQL database a test's app uses, or None for SQLite."""
    if search_backend == "postgres":
        return request.getfixturevalue("postgres_search_database")
    return (POSTGRES_URL, postgres_schema) if postgres_schema else None


def _postgres_options(schema: str, url: str = POSTGRES_URL) -> dict:
    return {
        "DATABASE_URL": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


def _empty_postgres_tables() -> None:
    # search_words: the PostgreSQL search engine's word list (forum/search/postgres_schema.py).
    names = ", ".join([*(f'"{t.name}"' for t in db.metadata.sorted_tables), "search_words"])
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
def _running_app(tmp_path, database: tuple[str, str] | None, overrides: dict):
    """An app on a fresh database (SQLite in memory, or a PostgreSQL (url, schema))."""
    settings = {"SEARCH_PATH": str(tmp_path / "search-index"), "SERVER_NAME": "forum.test"}
    if database:
        settings.update(_postgres_options(database[1], database[0]))
    else:
        settings["DATABASE_URL"] = "sqlite://"
    app = create_app(base_config(**{**settings, **overrides}))
    app.jinja_env.bytecode_cache = TEMPLATE_BYTECODE
    app.test_client_class = RequestClient
    with app.app_context():
        if not database:
            db.create_all()
        yield app
        db.session.remove()
        engine = app.extensions.get("search_engine")
        if engine is not None:
            engine.close()  # a Whoosh searcher holds its segment files open
        if database:
            _empty_postgres_tables()
        else:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(request, tmp_path, postgres_schema, app_config_overrides, search_backend):
    database = _database(request, postgres_schema, search_backend)
    overrides = {"SEARCH_BACKEND": search_backend, **app_config_overrides}
    with _running_app(tmp_path, database, overrides) as app:
        yield app


@pytest.fixture
def client_with(request, tmp_path, postgres_schema, search_backend):
    """A client of an app built with extra settings, for tests that need, say, rate limits on:
    `client_with(RATELIMIT_ENABLED=True)`. Use it instead of `app`, not beside it."""
    database = _database(request, postgres_schema, search_backend)
    with contextlib.ExitStack() as stack:

        def build(**overrides):
            settings = {"SEARCH_BACKEND": search_backend, **overrides}
            return stack.enter_context(_running_app(tmp_path, database, settings)).test_client()

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


@pytest.fixture
def login(client):
    """Log a user in through the login form, as a person would."""

    def _login(user, password: str = PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return _login


@pytest.fixture
def limited_client(client_with):
    """A client of an app with its rate limits on: two sign-ins and two writes a minute."""
    return client_with(
        RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute", RATELIMIT_WRITE="2 per minute"
    )


@pytest.fixture
def unindexed_test_data(app):
    """Rows the factories make in the test's own session skip the search outbox (a suite that
    never reads the index asks for this in its conftest). Requests run in sessions of their own
    and are indexed as in production."""
    db.session.info["search_capture"] = False


@pytest.fixture
def app_to_migrate(tmp_path):
    """`app_to_migrate(schema, url)`: an app on an empty database, for tests that run the
    migrations themselves: a fresh schema beside `schema` on the PostgreSQL server at `url`
    (dropped afterwards), or an SQLite file when `schema` is None."""
    created: list[tuple[str, str]] = []

    def build(schema: str | None, url: str = POSTGRES_URL):
        if schema is None:
            return create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path / 'migrated.db'}"))
        schema = f"{schema}_migrations"
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        created.append((url, schema))
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
        return create_app(base_config(DATABASE_URL=url, SQLALCHEMY_ENGINE_OPTIONS=options))

    yield build
    for url, schema in created:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(autouse=True)
def fast_password_hashes(monkeypatch):
    """Hash with few iterations here: every factory user would otherwise cost about 80 ms.
    check_password_hash reads the method from the stored hash, so logging in works the same."""
    monkeypatch.setattr(
        accounts,
        "generate_password_hash",
        functools.partial(generate_password_hash, method="pbkdf2:sha256:1000"),
    )


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on a free loopback port for the whole run (tests/mail_server.py)."""
    from tests.mail_server import SMTPServer

    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    """What the SMTP server receives during this test (empty at its start)."""
    smtp_server.mailbox.clear()
    return smtp_server.mailbox
