"""Search: a subsystem behind one small interface (backend.py). Only this package imports whoosh."""

from __future__ import annotations

import logging

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


def get_engine():
    """The engine of the current app, created once per app (and so once per worker)."""
    engine = current_app.extensions.get("search_engine")
    if engine is None:
        name = current_app.config["SEARCH_BACKEND"]
        if name == "postgres":
            from forum.search.postgres_engine import PostgresEngine

            engine = PostgresEngine()
        elif name == "whoosh":
            from forum.search.whoosh_engine import WhooshEngine

            engine = WhooshEngine(current_app.config["SEARCH_PATH"])
        else:
            raise RuntimeError(f"unknown search backend {name!r}")
        current_app.extensions["search_engine"] = engine
    return engine


def init_app(app: Flask) -> None:
    from forum.extensions import db
    from forum.search import cli, outbox, postgres_schema

    postgres_schema.install(db.metadata)
    migrate = app.extensions.get("migrate")
    if migrate is not None:
        # The engine's own columns, table and indexes are not in the models: autogenerate keeps
        # its hands off them.
        migrate.configure_args.setdefault("include_object", postgres_schema.include_object)
    outbox.install()
    app.cli.add_command(cli.search_cli)
    if app.config["SEARCH_BACKEND"] == "whoosh" and app.config.get("SEARCH_DRAIN_AT_START", True):
        with app.app_context():
            try:
                outbox.drain(wait=0.5)
            except SQLAlchemyError:
                # Not migrated yet (first `flask db upgrade`): nothing to drain.
                log.info("search outbox not drained at start: database not ready")
