"""Search: a subsystem behind one interface (engine.py), with an engine per package (whoosh/,
postgres/); choice.py alone knows which engines exist. Only this package imports whoosh."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from forum import changes
from forum.extensions import db
from forum.search import cli, tasks  # noqa: F401 (tasks: registered at import)
from forum.search.choice import EngineListener, choose_engine, get_engine
from forum.search.postgres import schema

__all__ = ["get_engine", "init_app"]
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    choose_engine(app.config)
    schema.install(db.metadata)
    migrate = app.extensions.get("migrate")
    if migrate is not None:
        # The PostgreSQL engine's own columns, table and indexes are not in the models:
        # autogenerate keeps its hands off them.
        migrate.configure_args.setdefault("include_object", schema.include_object)
    changes.listen(EngineListener())
    app.cli.add_command(cli.search_cli)
    if app.config.get("SEARCH_DRAIN_AT_START", True):
        with app.app_context():
            try:
                get_engine().catch_up(wait=0.5)
            except SQLAlchemyError:
                # Not migrated yet (first `flask db upgrade`): nothing waits.
                log.info("search: nothing caught up at start: database not ready")
