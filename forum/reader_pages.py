"""A reader's cached page, answered before Flask is involved.

A prompt page (HTML, and its JSON listing) looks the same to every reader who is not signed
in, and forum/page_cache.py keeps it under the prompt's version. Answering that copy through
Flask (contexts, routing, a dozen hooks, a response object) costs four times what the copy
itself does, so the first time Flask serves a shared copy at an address, this layer remembers
the address: which prompt, how the cache key is made from its version, and the headers sent.
The next request for exactly that address, with nothing that could sign anyone in (no session
or remember-me cookie, no Authorization header), no body and no conditional header, gets the
copy after one version query. Anything else, a prompt whose slug changed, a copy not kept under
the current version, or a database that does not answer, goes to Flask as before, which builds
the page and keeps it.

Every address remembered was answered 200 by Flask with exactly that path and query, and the
version moves with every change the page shows (forum/services/versions.py), so nothing here
can serve what Flask would not.
"""

from __future__ import annotations

import logging

from flask import Flask

from forum.extensions import cache, db
from forum.page_cache import MARK, Shared, etag_of
from forum.services import versions

log = logging.getLogger(__name__)

KEPT = 4096  # remembered addresses per worker; past it, the list starts again
# Not replayed: they belong to one response (its length, its ETag).
OWN_HEADERS = frozenset({"content-length", "etag"})


class ReaderPages:
    """WSGI layer in front of the application (see the module's text)."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.known: dict[tuple[str, str], tuple[Shared, list[tuple[str, str]]]] = {}
        self._engine = None
        self._pages = None
        config = app.config
        self._cookies = (
            config["SESSION_COOKIE_NAME"],
            config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        )

    def __call__(self, environ, start_response):
        if not self._anonymous_get(environ):
            return self.wsgi_app(environ, start_response)
        address = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        found = self.known.get(address)
        if found is not None:
            body, etag = self._kept(found[0])
            if body is not None:
                headers = [
                    *found[1],
                    ("Content-Length", str(len(body))),
                    ("ETag", f'"{etag}"'),
                ]
                start_response("200 OK", headers)
                return [body]
        return self._through_flask(environ, start_response, address)

    def _anonymous_get(self, environ) -> bool:
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return False
        if environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return False
        if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            return False
        cookies = environ.get("HTTP_COOKIE")
        return not cookies or not any(name in cookies for name in self._cookies)

    def _kept(self, shared: Shared) -> tuple[bytes | None, str]:
        """The copy kept under the prompt's current version, or None."""
        try:
            if self._engine is None:
                with self.app.app_context():
                    self._engine = db.engine
                    self._pages = self.app.extensions["cache"][cache]
            found = versions.version_on(self._engine, shared.prompt_id)
            if found is None or found[1] != shared.slug:
                return None, ""
            key = shared.key(found[0])
            body = self._pages.get(key)
        except Exception as error:  # noqa: BLE001  (Flask answers it, with its own handlers)
            log.warning("reader page: answering through the application (%s)", error)
            return None, ""
        if not isinstance(body, bytes):
            return None, ""
        return body, etag_of(key)

    def _through_flask(self, environ, start_response, address):
        """Flask answers; a shared copy answered 200 is remembered at this address."""

        def remember(status, headers, exc_info=None):
            shared = environ.get(MARK)
            if shared is not None and status.startswith("200 "):
                names = {name.lower() for name, _ in headers}
                if "etag" in names and "set-cookie" not in names:
                    kept = [(n, v) for n, v in headers if n.lower() not in OWN_HEADERS]
                    if len(self.known) >= KEPT:
                        self.known.clear()
                    self.known[address] = (shared, kept)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, remember)
