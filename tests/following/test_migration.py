"""Migration e1c4a8b5f2d6 creates exactly the following tables of the models, and its downgrade
removes them, on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import SAWarning

from forum.extensions import db

REVISION = "e1c4a8b5f2d6"
TABLES = {"subscriptions", "notification_events", "notifications"}


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return getattr(table, "name", name) in TABLES


def test_the_migration_yields_the_models_tables_and_its_downgrade_removes_them(
    app_to_migrate, postgres_schema
):
    app = app_to_migrate(postgres_schema)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "render_as_batch": True, "include_object": _ours},
            )
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
                warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
                differences = compare_metadata(context, db.metadata)
            created = TABLES & set(inspect(connection).get_table_names())
        downgrade(revision=f"{REVISION}-1")
        with db.engine.connect() as connection:
            left = TABLES & set(inspect(connection).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert created == TABLES
    assert left == set()
