"""Links to the pages people read, shared by templates and the API, and the ids inside them."""

from __future__ import annotations

from flask import url_for
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


def prompt_url(prompt, external: bool = True) -> str:
    return url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug, _external=external)


def contribution_url(contribution, external: bool = True) -> str:
    return url_for("contributions.show", contribution_id=contribution.id, _external=external)


def profile_url(user, external: bool = True) -> str:
    return url_for("accounts.profile", username=user.username, _external=external)
