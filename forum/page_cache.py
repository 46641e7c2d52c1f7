"""Whole responses for readers who are not signed in, kept under the content's version.

A prompt page looks the same to every anonymous reader, and its version (services/versions.py)
moves with every change to what it shows, so a copy found under the current version is never
stale and nothing has to be invalidated. Signed-in members always get a fresh page.

The copies live in each worker (SimpleCache), or, with FORUM_REDIS_URL, in Redis, shared by
every worker and app server: a page built once per version for all of them (RedisPages).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, has_app_context, request, session
from flask_caching.backends.rediscache import RedisCache
from redis.exceptions import RedisError

from forum.extensions import cache
from forum.kept import kept_for

log = logging.getLogger(__name__)

MARK = "forum.reader_page"  # in the WSGI environ: a shared copy answered (forum/reader_pages.py)


@dataclass(frozen=True)
class Shared:
    """A page every reader who is not signed in shares, whatever the prompt's version."""

    kind: str  # the first part of the cache key ("page", "api:contributions")
    prompt_id: int
    slug: str  # the prompt's canonical slug
    rest: str  # the part of the key after the version (the listing's arguments)

    def key(self, version: int) -> str:
        return f"{self.kind}:{self.prompt_id}:{version}:{self.rest}"


def etag_of(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def configure(cfg: dict) -> None:
    """With FORUM_REDIS_URL and no cache chosen otherwise, the page cache moves into Redis."""
    if cfg.get("REDIS_URL") and cfg.get("CACHE_TYPE") == "SimpleCache":
        cfg["CACHE_TYPE"] = "forum.page_cache.RedisPages"
        cfg.setdefault("CACHE_REDIS_URL", cfg["REDIS_URL"])
        cfg.setdefault("CACHE_KEY_PREFIX", "commonplace:pages:")
        # A Redis that does not answer within this is an empty cache, not a slow page.
        cfg.setdefault("CACHE_OPTIONS", {"socket_timeout": 0.25, "socket_connect_timeout": 0.25})


def _failed() -> None:
    """The cache did not answer: this request claims no page (`claim`)."""
    if has_app_context():
        g.page_cache_failed = True


class RedisPages(RedisCache):
    """The shared page cache: a Redis that fails is an empty cache, so readers get pages built
    afresh, never an error."""

    def get(self, key: str):
        try:
            return super().get(key)
        except RedisError as error:
            log.warning("page cache: Redis did not answer (%s); building the page", error)
            _failed()  # no claim to build it either (`claim`)
            return None

    def set(self, key: str, value, timeout=None) -> bool:
        try:
            return bool(super().set(key, value, timeout))
        except RedisError as error:
            log.warning("page cache: Redis did not keep a page (%s)", error)
            return False

    # A claim to build a page (`claim`): a Redis that fails claims nothing for anyone, so every
    # reader builds the page, as with no cache at all.
    def add(self, key: str, value, timeout=None) -> bool:
        try:
            return bool(super().add(key, value, timeout))
        except RedisError:
            _failed()
            return True

    def get_many(self, *keys: str) -> list:
        try:
            return super().get_many(*keys)
        except RedisError as error:
            log.warning("page cache: Redis did not answer (%s); building the parts", error)
            return [None] * len(keys)

    def set_many(self, mapping: dict, timeout=None) -> list:
        try:
            return super().set_many(mapping, timeout)
        except RedisError as error:
            log.warning("page cache: Redis did not keep the parts (%s)", error)
            return []

    def has(self, key: str) -> bool:
        try:
            return bool(super().has(key))
        except RedisError:
            return False

    def delete(self, key: str) -> bool:
        try:
            return bool(super().delete(key))
        except RedisError:
            return False


def shareable(signed_in) -> bool:
    """May this request get (and fill) the shared copy?"""
    return signed_in is None and request.method in ("GET", "HEAD") and "_flashes" not in session


# What this process read from the cache in the last few seconds, as objects: unpickling the
# shared part of a prompt's page costs more than writing a member's own part into it. Only
# what the cache itself kept is remembered (with no cache, nothing is), and briefly: a page
# kept for less than the cache's usual time (forum/web/prompt_page.py) goes soon after.
OBJECTS_KEPT = 16
OBJECT_SECONDS = 5.0


def cached(key: str):
    """`cache.get(key)`, as this process read it within the last OBJECT_SECONDS if it did."""
    return kept_for("page_objects", key, OBJECT_SECONDS, lambda: cache.get(key),
                    most=OBJECTS_KEPT, keep=lambda value: value is not None)  # fmt: skip


def kept(key: str, build: Callable[[], object]):
    """The value kept under `key`, or `build()` it and keep it (a part of a page that every
    reader shares; the key holds the content's version, so it is never stale)."""
    value = cached(key)
    if value is None:
        value = build()
        cache.set(key, value)
    return value


# A page whose version just moved is asked for by several readers at once (the prompt
# everyone is rating): one of them builds it, and the others wait for its copy rather than
# build the same page alongside it. A claim lasts CLAIM_SECONDS at most (a builder that died
# frees it); a reader waits at most `PAGE_BUILD_WAIT` seconds (forum/config.py), then builds
# the page itself, as it does at once when the builder gave up without keeping a copy.
CLAIM = "building:"
CLAIM_SECONDS = 10
POLL_SECONDS = 0.01


def claim(key: str) -> bool | None:
    """Is this request the one to build the page kept under `key`? True: it claimed it; False:
    another one did; None: the cache did not answer this request, so it claims nothing (and
    does not wait for another timeout)."""
    if g.get("page_cache_failed"):
        return None
    return bool(cache.add(CLAIM + key, 1, timeout=CLAIM_SECONDS))


def awaited(key: str):
    """The copy another request is building under `key`, once it is kept; None if the builder
    gave up without keeping one, or took longer than the wait."""
    deadline = time.monotonic() + current_app.config["PAGE_BUILD_WAIT"]
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        body = cache.get(key)
        if body is not None:
            return body
        if not cache.has(CLAIM + key):
            return cache.get(key)  # kept and released between the two looks, or given up
    return None


def respond(
    shared: Shared,
    version: int,
    build: Callable[[], tuple[str | bytes, int]],
    mimetype: str = "text/html",
):
    """The copy kept under the `shared` page's key at `version`, or build it (only a 200 is
    kept); with an ETag, so a client that already has this version gets 304 Not Modified.
    Kept as UTF-8: encoding a page that is not all ASCII costs more than the rest of serving
    it. A copy answered is marked for forum/reader_pages.py, which answers the next reader at
    the same address without Flask."""
    key = shared.key(version)
    body = cache.get(key)
    status = 200
    if body is None:
        claimed = claim(key)
        if claimed is False:
            body = awaited(key)
        if body is None:
            try:
                body, status = build()
                if isinstance(body, str):
                    body = body.encode()
                if status == 200:
                    # A page may ask to be kept less long (forum/web/prompt_page.py).
                    cache.set(key, body, g.get("page_keep_seconds"))
            finally:
                if claimed:
                    cache.delete(CLAIM + key)
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    if status == 200:
        request.environ[MARK] = shared
        response.set_etag(etag_of(key))
        if request.if_none_match or request.if_modified_since:
            response.make_conditional(request)
    return response
