"""Which engine runs: chosen from the configuration, made once per app, and the one listener
that hands the change stream to it. Nothing else names an engine."""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy.engine import Connection

from forum.changes import Changes
from forum.search.engine import SearchEngine

ENGINES = ("whoosh", "postgres")


def choose_engine(config) -> str:
    """Settle which engine the app runs, in its configuration: FORUM_SEARCH_BACKEND, else
    PostgreSQL's own search on PostgreSQL and Whoosh elsewhere. An unknown name or one the
    database cannot serve stops the start with a clear message."""
    on_postgres = config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    name = (config.get("SEARCH_BACKEND") or ("postgres" if on_postgres else "whoosh")).lower()
    if name not in ENGINES:
        raise RuntimeError(f"FORUM_SEARCH_BACKEND is whoosh or postgres, not {name!r}.")
    if name == "postgres" and not on_postgres:
        raise RuntimeError("FORUM_SEARCH_BACKEND=postgres needs a PostgreSQL database.")
    config["SEARCH_BACKEND"] = name
    return name


def get_engine() -> SearchEngine:
    """The engine of the current app, made once per app (and so once per worker)."""
    engine = current_app.extensions.get("search_engine")
    if engine is None:
        # Imported here, the one engine a process runs: the other's library is never loaded.
        if current_app.config["SEARCH_BACKEND"] == "postgres":
            from forum.search.postgres.engine import PostgresEngine

            engine = PostgresEngine()
        else:
            from forum.search.whoosh.engine import WhooshEngine

            engine = WhooshEngine(current_app.config["SEARCH_PATH"])
        current_app.extensions["search_engine"] = engine
    return engine


class EngineListener:
    """Hands the change stream to the current app's engine, which knows what to do with it."""

    def noted(self, connection: Connection, changed: Changes, info: dict) -> None:
        if has_app_context():
            get_engine().noted(connection, changed, info)

    def committed(self, info: dict) -> None:
        if has_app_context():
            get_engine().committed(info)

    def rolled_back(self, info: dict) -> None:
        if has_app_context():
            get_engine().rolled_back(info)
