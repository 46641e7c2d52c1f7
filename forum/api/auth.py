"""Who is calling the API: bearer tokens (and HTTP Basic, to create a token). No cookies."""

from __future__ import annotations

import base64
import binascii
import functools

from flask import g, request

from forum.permissions import is_active
from forum.services import accounts
from forum.services.errors import Forbidden, Unauthorized


class BearerRequired(Unauthorized):
    pass


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
    """The account named by HTTP Basic credentials, or by a bearer token."""
    scheme, value = _credentials()
    if scheme == "bearer":
        return require_user()
    if scheme != "basic":
        raise Unauthorized("Send your username and password with HTTP Basic authentication.")
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthorized("Malformed Basic credentials.") from exc
    username, sep, password = decoded.partition(":")
    user = accounts.authenticate(username, password) if sep else None
    if user is None:
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
