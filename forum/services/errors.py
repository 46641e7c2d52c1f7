"""Errors raised by services. Views turn them into HTTP answers (the code is the HTTP status)."""

from __future__ import annotations


class ServiceError(Exception):
    code = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors


class Invalid(ServiceError):
    """Fields were wrong: {"field": ["what is wrong"]}."""

    code = 422


class Unauthorized(ServiceError):
    code = 401


class Forbidden(ServiceError):
    code = 403


class NotFound(ServiceError):
    code = 404


class Conflict(ServiceError):
    """The request is fine but the state forbids it (a locked prompt, a duplicate flag)."""

    code = 409


def invalid(field: str, message: str) -> Invalid:
    return Invalid(message, {field: [message]})
