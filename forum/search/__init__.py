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
        if name != "whoosh":
            raise RuntimeError(f"unknown search backend {name!r}")
        from forum.search.whoosh_engine import WhooshEngine

        engine = WhooshEngine(current_app.config["SEARCH_PATH"])
        current_app.extensions["search_engine"] = engine
    return engine


def init_app(app: Flask) -> None:
    from forum.search import cli, outbox

    outbox.install()
    app.cli.add_command(cli.search_cli)
    if app.config.get("SEARCH_DRAIN_AT_START", True):
        with app.app_context():
            try:
                outbox.drain(wait=0.5)
            except SQLAlchemyError:
                # Not migrated yet (first `flask db upgrade`): nothing to drain.
                log.info("search outbox not drained at start: database not ready")
