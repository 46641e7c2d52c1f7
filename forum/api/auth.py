"""Who is calling the API: bearer tokens (and HTTP Basic, to create a token). No cookies."""

from __future__ import annotations

import functools

from flask import g, request

from forum.limits import count_failed_login
from forum.permissions import is_active
from forum.security import basic_credentials
from forum.services import accounts
from forum.services.errors import Forbidden, Unauthorized


def _credentials() -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return scheme.lower(), value.strip()


def api_user():
    """The account behind the bearer token, None when no token was sent; 401 for a bad token."""
    if "api_user" not in g:
        scheme, value = _credentials()
        if scheme == "bearer":
            user = accounts.user_for_token(value)
            if user is None:
                raise Unauthorized("That token is not valid (revoked or mistyped).")
            g.api_user = user
        else:
            g.api_user = None
    return g.api_user


def require_user():
    """A member is needed: 401 without valid credentials."""
    user = api_user()
    if user is None:
        raise Unauthorized("Send an API token: Authorization: Bearer <token>.")
    return user


def require_active_user():
    """A member who may write: 403 while suspended."""
    user = require_user()
    if not is_active(user):
        raise Forbidden("This account is suspended: it can read but not write.")
    return user


def basic_user():
    """The account named by HTTP Basic credentials. A bearer token is not enough: a token never
    makes another token, so revoking one (or changing the password) cannot leave others behind."""
    scheme, _ = _credentials()
    if scheme == "bearer":
        raise Unauthorized(
            "A token cannot create tokens: send your username and password with HTTP Basic "
            "authentication, or create one on the settings page."
        )
    if scheme != "basic":
        raise Unauthorized("Send your username and password with HTTP Basic authentication.")
    credentials = basic_credentials()
    if credentials is None:
        raise Unauthorized("Malformed Basic credentials.")
    user = accounts.authenticate(*credentials)
    if user is None:
        count_failed_login()
        raise Unauthorized("Wrong username or password.")
    return user


def checked_first(check):
    """Run `check` before the body is parsed, so a caller without rights gets 401/403, not 422."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            check()
            return view(*args, **kwargs)

        return wrapper

    return decorator


member_required = checked_first(require_user)
active_member_required = checked_first(require_active_user)
