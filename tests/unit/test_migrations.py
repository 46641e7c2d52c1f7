"""`flask db upgrade` on an empty database yields exactly the models' schema."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SAWarning

from forum import create_app
from forum.extensions import db
from tests.conftest import POSTGRES_URL, base_config


def _migrated_app(tmp_path, postgres_schema):
    if postgres_schema:
        schema = f"{postgres_schema}_migrations"
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
        return create_app(base_config(DATABASE_URL=POSTGRES_URL, SQLALCHEMY_ENGINE_OPTIONS=options))
    return create_app(base_config(DATABASE_URL=f"sqlite:///{tmp_path / 'migrated.db'}"))


def _index_names(connection, table: str) -> set[str]:
    """Index names as the database lists them (reflection skips expression indexes)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
    else:
        query = (
            "SELECT indexname FROM pg_indexes"
            " WHERE tablename = :t AND schemaname = current_schema()"
        )
    return set(connection.execute(text(query), {"t": table}).scalars())


def test_upgrade_on_an_empty_database_yields_the_models_schema(tmp_path, postgres_schema):
    app = _migrated_app(tmp_path, postgres_schema)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            with warnings.catch_warnings():
                # SQLAlchemy cannot reflect expression indexes on SQLite; they are checked below.
                warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
                warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
                differences = compare_metadata(context, db.metadata)
            indexes = _index_names(connection, "users")
        db.engine.dispose()
    assert differences == []
    assert {"uq_users_username_lower", "uq_users_email_lower"} <= indexes


def test_usernames_are_unique_whatever_their_case_in_the_migrated_schema(tmp_path, postgres_schema):
    app = _migrated_app(tmp_path, postgres_schema)
    with app.app_context():
        upgrade()
        insert = text(
            "INSERT INTO users (username, email, password_hash, display_name, headline, bio, role,"
            " status, suspension_reason, joined_at, session_version) VALUES (:u, :e, 'x', 'x', '',"
            " '', 'member', 'active', '', CURRENT_TIMESTAMP, 1)"
        )
        db.session.execute(insert, {"u": "coach", "e": "a@example.org"})
        db.session.commit()
        try:
            db.session.execute(insert, {"u": "COACH", "e": "b@example.org"})
            db.session.commit()
            duplicated = True
        except Exception:  # noqa: BLE001 - the unique index refused it, as it should
            db.session.rollback()
            duplicated = False
        db.session.remove()
        db.engine.dispose()
    assert not duplicated
