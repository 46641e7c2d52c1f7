"""Small pieces the page views share: paging arguments, safe redirects, field errors."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, g, request
from wtforms import Form

from forum.security import viewer
from forum.services.errors import Invalid

MAX_PAGE = 10_000
# What the sort links call each order; which orders a listing offers, and in what order, is its
# model's sort tuple.
SORT_NAMES = {
    "active": "Active",
    "best": "Best",
    "newest": "Newest",
    "oldest": "Oldest",
    "relevance": "Relevance",
    "top": "Most helpful",
    "proven": "Proven in practice",
    "useful": "Most useful",
}


def sort_labels(sorts: tuple[str, ...]) -> dict[str, str]:
    """The sort links of a listing: each of its sorts with what the link says, in order."""
    return {sort: SORT_NAMES[sort] for sort in sorts}


def page_arg() -> int:
    """The ?page= number, at least 1 (and not absurdly far)."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: never //host, a scheme or a backslash."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def show_errors(form: Form, error: Invalid) -> None:
    """Put a service's field errors next to the form's fields; the rest above the form."""
    fields = error.errors or {}
    for name, messages in fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*_as_list(field.errors), *messages]
        else:
            form.form_errors.extend(messages)
    if not fields:
        form.form_errors.append(error.message)


def _as_list(errors) -> list:
    return list(errors) if isinstance(errors, list | tuple) else []


def require_member():
    """The signed-in member; views that use it are also behind login_required."""
    person = viewer()
    if person is None:  # pragma: no cover - login_required redirects first
        abort(401)
    return person


ENHANCED_HEADER = "X-Requested-With"
ENHANCED_VALUE = "commonplace-enhance"


def enhanced_request() -> bool:
    """A form post sent by static/enhance.js, which updates the page in place and so wants JSON
    back instead of a redirect. Without the script the same form posts and redirects as usual."""
    return (
        request.headers.get(ENHANCED_HEADER) == ENHANCED_VALUE
        and request.accept_mimetypes.best == "application/json"
    )


def private() -> None:
    """Mark the response as personal: security.py then forbids caching it."""
    g.private = True
