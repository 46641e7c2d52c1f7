"""JSON request bodies: read once, before any view, and refused with a 400 when they are not a
document the forum could store or answer.

The standard parser accepts documents no field of the forum can hold, and some of them fail
later in ways a client should never see: nesting deep enough to exhaust the stack, integers of
more digits than Python reads, `NaN` and `Infinity` (not JSON at all), and lone UTF-16 surrogates
(`"\\ud800"`), which are not text: PostgreSQL refuses them, and so does the UTF-8 encoder.
"""

from __future__ import annotations

import json
import math
import re

from flask import Flask, Request, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest

#: Deeper than any body of the API (a list of key points is three levels); far below the stack.
MAX_DEPTH = 32
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class RefusedBody(ValueError):
    """A body that is not a JSON document the forum accepts; the message says why."""


def _finite_number(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise RefusedBody("The body has a number too large to read.")
    return number


def _not_json(name: str):
    raise RefusedBody(f"The body is not valid JSON: {name} is not a JSON value.")


def parse_document(data: bytes | str):
    """The document in a request body (UTF-8 JSON), or RefusedBody saying what is wrong."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    except UnicodeDecodeError:
        raise RefusedBody("The body is not UTF-8 text.") from None
    try:
        document = json.loads(text, parse_float=_finite_number, parse_constant=_not_json)
    except RefusedBody:
        raise
    except RecursionError:
        raise RefusedBody("The body nests arrays or objects too deeply.") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise RefusedBody(f"The body is not valid JSON ({where}).") from None
    except ValueError:  # an integer longer than Python reads (sys.get_int_max_str_digits)
        raise RefusedBody("The body has a number too long to read.") from None
    _check(document)
    return document


def _check(document) -> None:
    """Refuse nesting beyond MAX_DEPTH and strings (values or names) holding a lone surrogate.
    Walked with a stack of its own, so no document can exhaust Python's."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if LONE_SURROGATE.search(value):
                raise RefusedBody(
                    "The body has a string with a lone surrogate (\\ud800-\\udfff): not text."
                )
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise RefusedBody("The body nests arrays or objects too deeply.")
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for name, item in items:
                if name is not None:
                    pending.append((name, depth))
                pending.append((item, depth + 1))


class StrictJSONProvider(DefaultJSONProvider):
    """The app's JSON: answers are written as usual; what it reads (`request.get_json()`) is
    parsed by parse_document."""

    def loads(self, s: str | bytes, **kwargs):
        return parse_document(s)


class ForumRequest(Request):
    def on_json_loading_failed(self, e: ValueError | None):
        if isinstance(e, RefusedBody):
            raise BadRequest(str(e))
        return super().on_json_loading_failed(e)


def _read_json_body() -> None:
    """Parse a JSON body before any view does (webargs, say, parses with the standard module),
    so that a refused one is a 400 in the error shape of the API, whatever the endpoint."""
    if request.is_json and request.get_data(cache=True):
        request.get_json()


def init_app(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.request_class = ForumRequest
    app.before_request(_read_json_body)
