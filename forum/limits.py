"""Rate limits, read from the configuration so every deployment can tune them."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user

from forum.extensions import limiter
from forum.security import FORM_TYPES, basic_credentials


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def login_account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def register_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


def password_reset_limit() -> str:
    return current_app.config["RATELIMIT_PASSWORD_RESET"]


def write_limit() -> str:
    return current_app.config["RATELIMIT_WRITE"]


def member_key() -> str:
    """Writes are limited per member (per address for anonymous requests)."""
    user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    return f"member:{user.id}" if user is not None else address_key()


def address_key() -> str:
    return f"addr:{request.remote_addr}"


def _account(name: str | None) -> str:
    name = (name or "").strip().lower()
    return f"account:{name}" if name else address_key()


def form_account() -> str:
    """The account the login form signs in as (its username, lower-cased)."""
    return _account(request.form.get("username") if request.mimetype in FORM_TYPES else None)


def basic_account() -> str:
    """The account HTTP Basic credentials sign in as (their username, lower-cased)."""
    credentials = basic_credentials()
    return _account(credentials[0] if credentials else None)


def count_failed_login() -> None:
    """Mark this sign-in as a wrong password: only those count toward locking the account."""
    g.failed_login = True


def _login_failed(_response) -> bool:
    return g.get("failed_login", False)


def limit_logins(account_key):
    """Both sign-in limits on a view's POST (reading the form is free), the account named by
    `account_key`: the credentials that view signs in with, and nothing else the request carries.

    Signing in on the page and creating a token with a password are the same guess: they share
    their counters. Per address, every attempt counts. Per account, only wrong passwords count,
    so nobody locks a member out by signing in as them; once the failures reach the limit the
    account is locked, even for the right password, until the window passes."""

    def decorate(view):
        by_address = limiter.shared_limit(
            login_limit, scope="login-address", key_func=address_key, methods=["POST"]
        )
        by_account = limiter.shared_limit(
            login_account_limit,
            scope="login-account",
            key_func=account_key,
            methods=["POST"],
            deduct_when=_login_failed,
        )
        return by_address(by_account(view))

    return decorate


WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def limit_writes(view):
    """The per-member write limit on a view's writing methods (reading stays free)."""
    return limiter.limit(write_limit, key_func=member_key, methods=WRITE_METHODS)(view)
