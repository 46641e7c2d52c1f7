"""One error shape for the API, friendly pages for people. Nothing a client sends becomes a 500."""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.extensions import db
from forum.schemas.common import ErrorSchema
from forum.services.errors import ServiceError

log = logging.getLogger(__name__)
ERROR = ErrorSchema()


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _flatten(errors):
    """webargs nests field errors under the location ("json", "query"); docs/api.md does not."""
    if isinstance(errors, dict) and len(errors) == 1:
        ((location, inner),) = errors.items()
        if location in ("json", "query", "form", "path") and isinstance(inner, dict):
            return inner
    return errors


def json_error(code: int, message: str, errors=None, headers=None):
    body = {"code": code, "status": _status_name(code), "message": message}
    if errors:
        body["errors"] = _flatten(errors)
    response = jsonify(ERROR.dump(body))
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _status_name(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def _page(code: int, message: str, headers=None):
    template = f"errors/{code}.html" if code in (403, 404, 429, 500) else "errors/generic.html"
    body = render_template(template, code=code, status=_status_name(code), message=message)
    return body, code, headers or {}


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    message = data.get("message") or error.description or _status_name(error.code)
    errors = data.get("errors") or data.get("messages")
    headers = dict(data.get("headers") or {})
    code = error.code
    if isinstance(errors, dict) and "messages" in data:
        # webargs: a body that is not JSON, or fields that failed validation.
        if "query" in errors:
            code, message = 400, "Some query parameters are not valid."
        elif code == 400:
            message = "The body is not valid JSON."
        else:
            message = "Some fields need attention."
    if code == 429 and "Retry-After" not in headers:
        headers["Retry-After"] = str(_retry_after(error))
    if code == 405:
        headers["Allow"] = ", ".join(error.valid_methods or [])
    if wants_json():
        return json_error(code, message, errors, headers)
    return _page(code, message, headers)


def _retry_after(error) -> int:
    limit = getattr(error, "limit", None)
    try:
        return max(1, int(limit.limit.get_expiry())) if limit is not None else 60
    except (AttributeError, TypeError, ValueError):
        return 60


def handle_service_error(error: ServiceError):
    if wants_json():
        headers = {"WWW-Authenticate": 'Bearer realm="api"'} if error.code == 401 else None
        return json_error(error.code, error.message, error.errors, headers)
    return _page(error.code, error.message)


def handle_unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    # The session may hold a failed transaction; the error page must still be able to query.
    db.session.rollback()
    if wants_json():
        return json_error(500, "Something went wrong on our side; it has been logged.")
    return _page(500, InternalServerError.description)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(Exception, handle_unexpected)
