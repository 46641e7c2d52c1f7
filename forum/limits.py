"""Rate limits, read from the configuration so every deployment can tune them."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user

from forum.extensions import limiter


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def login_account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def register_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


def write_limit() -> str:
    return current_app.config["RATELIMIT_WRITE"]


def member_key() -> str:
    """Writes are limited per member (per address for anonymous requests)."""
    user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    return f"member:{user.id}" if user is not None else address_key()


def address_key() -> str:
    return f"addr:{request.remote_addr}"


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def account_key() -> str:
    """The account a sign-in tries, lower-cased: the login form's username, the HTTP Basic
    username, or the member behind a bearer token. Guesses at one account from many addresses
    then meet one counter."""
    name = request.form.get("username") if request.mimetype in _FORMS else None
    auth = request.authorization
    if name is None and auth is not None:
        name = auth.username if auth.type == "basic" else None
    if name is None and g.get("api_user") is not None:
        name = g.api_user.username
    name = (name or "").strip().lower()
    return f"account:{name}" if name else address_key()


# Signing in on the page and creating a token with a password are the same guess: they share
# their counters, per address and per account, so alternating between them gains nothing.
login_limits = [
    limiter.shared_limit(
        login_limit, scope="login-address", key_func=address_key, methods=["POST"]
    ),
    limiter.shared_limit(
        login_account_limit, scope="login-account", key_func=account_key, methods=["POST"]
    ),
]


def limit_logins(view):
    """Both sign-in limits on one view (only its POST: reading the form is free)."""
    for decorate in login_limits:
        view = decorate(view)
    return view


WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def limit_writes(view):
    """The per-member write limit on a view's writing methods (reading stays free)."""
    return limiter.limit(write_limit, key_func=member_key, methods=WRITE_METHODS)(view)
