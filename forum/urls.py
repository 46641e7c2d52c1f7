"""Links to the pages people read, shared by templates and the API, and the ids inside them.

Absolute links (the API's `url` fields, which the shared cache hands to every reader) come from
configuration alone: FORUM_BASE_URL, else SERVER_NAME (with PREFERRED_URL_SCHEME), else they are
paths on this site. Never from a request's Host or X-Forwarded-Host, which a client can choose.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

#: The largest id an INTEGER column holds (PostgreSQL's int4): larger ones name nothing.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: an id beyond what the database can store names nothing, so it is a
    404 (SQLite and PostgreSQL both raise on such a number instead of finding no row). NotFound
    rather than ValidationError: werkzeug would then answer 405 naming the path's other methods."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number


def public_url(endpoint: str, **values) -> str:
    """The address of a page for anyone: built on the configured public address, the same
    whoever asks (see the module's docstring)."""
    config = current_app.config
    if config.get("BASE_URL"):
        parts = urlsplit(config["BASE_URL"])
        scheme, host, root = parts.scheme, parts.netloc, parts.path
    elif config.get("SERVER_NAME"):
        scheme, host = config["PREFERRED_URL_SCHEME"], config["SERVER_NAME"]
        root = config["APPLICATION_ROOT"]
    else:
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind(host, script_name=root or "/", url_scheme=scheme)
    return adapter.build(endpoint, values, force_external=True)


def _link(endpoint: str, external: bool, **values) -> str:
    return public_url(endpoint, **values) if external else url_for(endpoint, **values)


def prompt_url(prompt, external: bool = True) -> str:
    return _link("prompts.show", external, prompt_id=prompt.id, slug=prompt.slug)


def contribution_url(contribution, external: bool = True) -> str:
    return _link("contributions.show", external, contribution_id=contribution.id)


def profile_url(user, external: bool = True) -> str:
    return _link("accounts.profile", external, username=user.username)
