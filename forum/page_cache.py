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


def respond(key: str, build: Callable[[], tuple[str, int]], mimetype: str = "text/html"):
    """The cached body under `key`, or build it (only a 200 is kept); with an ETag, so a
    client that already has this version gets 304 Not Modified."""
    body = cache.get(key)
    status = 200
    if body is None:
        body, status = build()
        if status == 200:
            cache.set(key, body)
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    if status == 200:
        response.set_etag(hashlib.blake2b(key.encode(), digest_size=12).hexdigest())
        response.make_conditional(request)
    return response
