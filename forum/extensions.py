"""Extensions, created unbound and bound to the app in create_app()."""

from __future__ import annotations

from pathlib import Path

from flask import request
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

from forum.kept_statements import keep_statements

# Stable constraint names, so Alembic migrations can name what they create and drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


def _rate_limit_key() -> str:
    return request.remote_addr or get_remote_address()


limiter = Limiter(key_func=_rate_limit_key, default_limits=[], headers_enabled=True)
# Rendered pages for readers who are not signed in, keyed by the content's version.
cache = Cache()


def init_app(app) -> None:
    """Bind every extension to the app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _tune_sqlite(db.engine)
        keep_statements(db.engine)


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"


def _tune_sqlite(engine) -> None:
    """WAL lets readers work while one writer writes; a busy timeout queues writers."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database and engine.url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
