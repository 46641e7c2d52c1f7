"""Sessions, security headers and who is asking."""

from __future__ import annotations

import base64
import binascii
import math

from flask import Flask, abort, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select
from werkzeug.exceptions import RequestEntityTooLarge

from forum.extensions import db, login_manager
from forum.kept import kept_for
from forum.models import User
from forum.permissions import can, is_active
from forum.services.errors import Forbidden

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' https: data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Built once: every request of a signed-in member asks it.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """Session ids carry a version: a password change or suspension ends old sessions."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.execute(_USER_BY_ID, {"user_id": int(user_id)}).scalar()
    if user is None or user.session_version != int(version):
        return None
    return user


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def basic_credentials() -> tuple[str, str] | None:
    """(username, password) of an HTTP Basic Authorization header; None when the request has
    none or it is malformed. The one reading of it, for signing in and for counting guesses."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The writes a suspended account may still send, and the action each is (forum/permissions.py).
OWN_ACCESS_VIEWS = {
    "accounts.logout": "log_out",
    "settings.password": "change_password",
    "settings.revoke_token": "revoke_token",
    "api_accounts.revoke_token": "revoke_token",
    # What reaches the account itself: following, muting, its inbox (nothing reaches others).
    "api_following.put_subscription": "follow",
    "api_following.delete_subscription": "follow",
    "api_following.mark_read": "follow",
    "following.follow": "follow",
    "following.unfollow": "follow",
    "following.read": "follow",
    "settings.notifications": "choose_email",
    # The API's PATCH /me holds both: the service refuses the public fields while suspended.
    "api_accounts.update_me": "choose_email",
}


def _writer() -> User | None:
    """Who a write comes from: the bearer token's account on the API (which ignores cookies),
    the signed-in person on the pages."""
    if request.path.startswith("/api/"):
        from forum.api.auth import api_user  # the API package imports this module

        return api_user()
    return viewer()


def refuse_suspended_writes() -> None:
    """403 for any write by a suspended account, on the pages and the API alike, except those
    that only take its own access away: logging out, changing the password (which also ends
    its other sessions and tokens: a suspended account may have been taken over) and revoking
    a token. Views keep their own checks; this is the one that cannot be forgotten."""
    if request.method not in WRITE_METHODS or request.url_rule is None:
        return
    person = _writer()
    if person is None or is_active(person):
        return
    action = OWN_ACCESS_VIEWS.get(request.endpoint or "")
    if action is None or not can(person, action):
        raise Forbidden("This account is suspended: it can read but not write.")


def viewer() -> User | None:
    """The signed-in person of an HTML request, or None for a reader."""
    if not session and "_login_user" not in g and _remember_cookie() not in request.cookies:
        # Nobody signed in, and nothing that could sign them in: Flask-Login would come to
        # the same after hashing the client's address and user agent for session protection.
        return None
    user = current_user._get_current_object()
    return user if user.is_authenticated else None


# Signed CSRF tokens kept per process (forum/kept.py), by (secret, the session's raw token).
SIGNED_TOKENS_KEPT = 4096


def csrf_token() -> str:
    """The request's CSRF token, as Flask-WTF's generate_csrf gives it, signed once per session
    and process rather than on every page: signing is a good part of what a member's page
    costs, and a token signed earlier is as good while the session lasts (WTF_CSRF_TIME_LIMIT
    None). With a time limit, a signed token is given again for a sixtieth of it."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    if field in g or not isinstance(raw, str):
        return generate_csrf()
    limit = config.get("WTF_CSRF_TIME_LIMIT")
    key = (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)
    seconds = math.inf if limit is None else limit / 60
    token = kept_for("signed_csrf_tokens", key, seconds, generate_csrf, most=SIGNED_TOKENS_KEPT)
    setattr(g, field, token)  # as generate_csrf leaves it: the form's check reads it
    return token


def _remember_cookie() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, doing less per request for the same cookies: the signing
    serializer made once per secret key (Flask makes one per request, also for a request that
    sends no cookie), and an untouched empty session left without looking up cookie settings."""

    def __init__(self) -> None:
        self._serializers: dict = {}

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            if len(self._serializers) > 8:  # a secret rotated in a running process, say
                self._serializers.clear()
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if not session and not session.modified:
            if session.accessed:
                if "Vary" in response.headers:
                    response.vary.add("Cookie")
                else:  # the same header, without parsing and rewriting a header set
                    response.headers["Vary"] = "Cookie"
            return
        super().save_session(app, session, response)


# A reader's shared copy (it has an ETag): any cache may keep it, and asks again every time.
PUBLIC = "public, max-age=0, must-revalidate"
# A member's own answer: their browser may keep it, asking again every time; no shared cache.
MEMBERS = "private, no-cache"


def _signed_in() -> bool:
    """Whether the answer may be a member's, without loading anyone: the person this request
    already loaded, else a session or remember-me cookie that names someone."""
    person = g.get("_login_user")
    if person is not None:
        return bool(person.is_authenticated)
    return "_user_id" in session or _remember_cookie() in request.cookies


def cache_control(has_etag: bool) -> str | None:
    """What caches are told about this answer (None: nothing). Pages holding a secret (marked
    private by their view: settings, a new token) and the API's writes are never stored; an
    answer for a member (signed in, or sending credentials) is private; a reader's copy with an
    ETag is public and revalidated."""
    if getattr(g, "private", False):
        return "no-store"
    api = request.path.startswith("/api/")
    if request.method not in ("GET", "HEAD"):
        return "no-store" if api else None
    if "Authorization" in request.headers or (not api and _signed_in()):
        return MEMBERS
    if has_etag:
        return PUBLIC
    return "no-store" if api else None


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @app.before_request
    def _refuse_malformed_requests():
        """413 for any body over the limit, also where the view would never read it. 400 for a
        NUL character in the path, a query parameter or a form field: no field has a use for
        one, and PostgreSQL refuses them. JSON bodies are checked by the API schemas."""
        asked = request._get_current_object()  # one context lookup, not one per attribute
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and (asked.content_length or 0) > limit:
            raise RequestEntityTooLarge()
        if "\x00" in asked.path or _has_nul(asked.args):
            abort(400, description="NUL characters are not allowed in addresses or fields.")
        if asked.mimetype in FORM_TYPES and _has_nul(asked.form):
            abort(400, description="NUL characters are not allowed in addresses or fields.")

    app.before_request(refuse_suspended_writes)

    @app.after_request
    def _security_headers(response):
        """Every response gets these, unless its view set one itself. One pass over the
        headers it has (werkzeug's setdefault scans them once per name)."""
        headers = response.headers
        present = {name.lower() for name, _ in headers.items()}
        wanted = [*SECURITY_HEADERS]
        if app.config.get("SESSION_COOKIE_SECURE"):
            wanted.append(("Strict-Transport-Security", "max-age=31536000"))
        if "cache-control" not in present:
            caching = cache_control("etag" in present)
            if caching:
                wanted.append(("Cache-Control", caching))
        if "date" in present:
            # Set by werkzeug's conditional answers; the server adds the one Date itself.
            del headers["Date"]
        for name, value in wanted:
            if name.lower() not in present:
                headers.add(name, value)
        if "etag" in present and "no-store" in headers.get("Cache-Control", ""):
            del headers["ETag"]  # nothing is kept, so there is nothing to revalidate
        return response
