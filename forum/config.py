"""Configuration classes. Every setting can be overridden with a FORUM_* environment variable."""

from __future__ import annotations

import os

DEV_SECRET_KEY = "commonplace-development-key-not-for-production"  # noqa: S105 (refused in production)


class Config:
    """Defaults for the embedded deployment (SQLite and Whoosh in the instance folder)."""

    ENV = "development"
    SECRET_KEY = DEV_SECRET_KEY
    DATABASE_URL: str | None = None  # None: a SQLite file in the instance folder
    SEARCH_BACKEND: str | None = None  # None: whoosh, or postgres on PostgreSQL
    SEARCH_PATH: str | None = None  # None: search-index/ in the instance folder
    REDIS_URL: str | None = None
    RATELIMIT_ENABLED = True
    # Reverse proxies in front of the app whose X-Forwarded-For / -Proto to trust (0: none).
    PROXY_HOPS = 0
    # The public address (https://forum.example.org) of the API's absolute links, which cached
    # answers share; never taken from a request. None: SERVER_NAME if set, else paths alone.
    BASE_URL: str | None = None

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    MAX_CONTENT_LENGTH = 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Content limits (docs/api.md, "Limits").
    LIMIT_BODY = 20_000
    LIMIT_INTRO = 10_000
    LIMIT_TITLE = 200
    LIMIT_KEY_POINTS = 12
    LIMIT_TAGS = 10

    # Rate limits (Flask-Limiter notation).
    RATELIMIT_LOGIN = "10 per minute; 50 per hour"  # per address, page and API together
    RATELIMIT_LOGIN_ACCOUNT = "5 per minute; 20 per hour"  # per account tried, from anywhere
    RATELIMIT_REGISTER = "5 per hour"
    RATELIMIT_WRITE = "30 per minute"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "commonplace"  # several apps can share one Redis

    API_TITLE = "Commonplace API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    CACHE_TYPE = "SimpleCache"  # per worker; keys carry a version, so nothing is ever stale
    CACHE_THRESHOLD = 300
    CACHE_DEFAULT_TIMEOUT = 600
    # Seconds a reader waits for the copy of a page another worker is building, at most, before
    # building it too (forum/page_cache.py).
    PAGE_BUILD_WAIT = 2.0
    # Related reading kept in the database is found again after this long (services/related.py).
    RELATED_REFRESH_SECONDS = 86400

    PER_PAGE = 20
    CONTRIBUTIONS_PER_PAGE = 50

    # Email (forum/mail.py). No MAIL_SERVER: each message is an .eml file in MAIL_DIR (default
    # mail/ in the instance folder). FORUM_MAIL_PORT, _USE_TLS, _USERNAME, _PASSWORD as usual.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_DEFAULT_SENDER = "Commonplace <noreply@localhost>"
    MAIL_DIR: str | None = None
    RATELIMIT_PASSWORD_RESET = "5 per hour"  # noqa: S105 (a rate, per address asking)
    # Background work (forum/queue.py): SQLite file in the instance folder (QUEUE_PATH), or Redis
    # when REDIS_URL is set. QUEUE_IMMEDIATE runs each task at once, in the process that queues it.
    QUEUE_NAME = "commonplace"
    QUEUE_PATH: str | None = None
    QUEUE_IMMEDIATE = False
    QUEUE_WORKERS = 2


class TestingConfig(Config):
    """Used by the test suite: in-memory database unless a test says otherwise."""

    TESTING = True
    DATABASE_URL = "sqlite://"
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False
    CACHE_TYPE = "NullCache"  # tests that exercise the page cache switch it on
    CACHE_NO_NULL_WARNING = True
    # Whoosh whatever the database, so the suite behaves alike on SQLite and PostgreSQL; the
    # search tests run against each engine explicitly.
    SEARCH_BACKEND = "whoosh"
    # Tasks run in the process that queues them; mail is only recorded (Flask-Mail's
    # record_messages), unless a test brings an SMTP server or a mail folder (tests/mail_server.py).
    QUEUE_IMMEDIATE = True
    MAIL_SUPPRESS_SEND = True


class ProductionConfig(Config):
    ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


def config_for_environment() -> type[Config]:
    """Pick the config class named by FORUM_ENV."""
    env = os.environ.get("FORUM_ENV", "development").lower()
    return ProductionConfig if env == "production" else Config
