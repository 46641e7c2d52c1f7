"""Rate limits, read from the configuration so every deployment can tune them."""

from __future__ import annotations

from flask import current_app


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def register_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


def write_limit() -> str:
    return current_app.config["RATELIMIT_WRITE"]


def member_key() -> str:
    """Writes are limited per member (per address for anonymous requests)."""
    from flask import g, request
    from flask_login import current_user

    user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    return f"member:{user.id}" if user is not None else f"addr:{request.remote_addr}"
