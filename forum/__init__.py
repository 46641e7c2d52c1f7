"""Commonplace: practitioners share what worked; the most useful strategies rise to the top."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import (
    api,
    changes,
    cli,
    errors,
    extensions,
    importers,
    json_bodies,
    mail,
    models,  # noqa: F401  (every table registered with the metadata the app binds)
    page_cache,
    periodic,
    queue,
    reader_pages,
    search,
    security,
    web,
)
from forum.config import DEV_SECRET_KEY, config_for_environment
from forum.services import (
    checkins,  # noqa: F401  (the playbook's check-in job registers at import)
    digests,  # noqa: F401  (digests' periodic jobs register at import)
    notification_email,  # noqa: F401  (its task and periodic job register at import)
    notification_events,
    strategy_totals,
    versions,
)
from forum.urls import IdConverter

ROOT = Path(__file__).resolve().parent.parent


class Forum(Flask):
    """Flask, asking once per hook and view whether it is a coroutine function: Flask asks on
    every call, about a dozen times a request (inspect's checks, 1-2 us each)."""

    _SYNC_KEPT = 1024  # hooks and views are made once; anything else is simply asked again

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_functions: set = set()

    def ensure_sync(self, func):
        sync = self._sync_functions
        try:
            if func in sync:
                return func
        except TypeError:  # unhashable: ask every time
            return super().ensure_sync(func)
        found = super().ensure_sync(func)
        if found is func and len(sync) < self._SYNC_KEPT:
            sync.add(func)
        return found


def create_app(config: dict | type | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints. Wiring only."""
    app = Forum(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config_for_environment())
    app.config.from_prefixed_env("FORUM")
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _finish_config(app)
    if app.config["PROXY_HOPS"]:
        # Client addresses (for rate limits) and https come from the trusted proxies' headers.
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    app.url_map.converters["int"] = IdConverter  # before any route is added
    extensions.init_app(app)
    changes.listen(versions.PageVersions())
    changes.listen(notification_events.NotificationEvents())
    changes.listen(strategy_totals.StrategyTotals())
    security.init_app(app)
    errors.init_app(app)
    json_bodies.init_app(app)
    web.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    importers.init_app(app)
    search.init_app(app)
    mail.init_app(app)
    queue.init_app(app)
    periodic.init_app(app)
    # Outermost: a reader's cached page is answered before anything else runs.
    app.wsgi_app = reader_pages.ReaderPages(app, app.wsgi_app)
    return app


def _finish_config(app: Flask) -> None:
    """Derive settings that depend on others (database URL, cookies in production)."""
    cfg = app.config
    if cfg["ENV"] == "production":
        if cfg["SECRET_KEY"] == DEV_SECRET_KEY:
            raise RuntimeError("FORUM_SECRET_KEY must be set in production.")
        cfg["SESSION_COOKIE_SECURE"] = cfg["REMEMBER_COOKIE_SECURE"] = True
    url = cfg.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'forum.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    cfg["SQLALCHEMY_DATABASE_URI"] = url
    base = cfg.get("BASE_URL")
    if base:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise RuntimeError(
                f"FORUM_BASE_URL is an http(s) address like https://host, not {base!r}."
            )
        cfg["BASE_URL"] = base.rstrip("/")
    if not cfg.get("SEARCH_PATH"):
        cfg["SEARCH_PATH"] = str(Path(app.instance_path) / "search-index")
    cfg.setdefault("RATELIMIT_STORAGE_URI", cfg.get("REDIS_URL") or "memory://")
    page_cache.configure(cfg)
