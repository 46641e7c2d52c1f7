"""Whole responses for readers who are not signed in, kept under the content's version.

A prompt page looks the same to every anonymous reader, and its version (services/versions.py)
moves with every change to what it shows, so a copy found under the current version is never
stale and nothing has to be invalidated. Signed-in members always get a fresh page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import current_app, request, session

from forum.extensions import cache


def shareable(signed_in) -> bool:
    """May this request get (and fill) the shared copy?"""
    return signed_in is None and request.method in ("GET", "HEAD") and "_flashes" not in session


def kept(key: str, build: Callable[[], object]):
    """The value kept under `key`, or `build()` it and keep it (a part of a page that every
    reader shares; the key holds the content's version, so it is never stale)."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value)
    return value


def respond(key: str, build: Callable[[], tuple[str | bytes, int]], mimetype: str = "text/html"):
    """The cached body under `key`, or build it (only a 200 is kept); with an ETag, so a
    client that already has this version gets 304 Not Modified. Kept as UTF-8: encoding a page
    that is not all ASCII costs more than the rest of serving it."""
    body = cache.get(key)
    status = 200
    if body is None:
        body, status = build()
        if isinstance(body, str):
            body = body.encode()
        if status == 200:
            cache.set(key, body)
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    if status == 200:
        response.set_etag(hashlib.blake2b(key.encode(), digest_size=12).hexdigest())
        if request.if_none_match or request.if_modified_since:
            response.make_conditional(request)
    return response
