"""Every operation's error answers named in the OpenAPI document, as docs/api.md lists them, so a
client sees which codes to expect instead of one catch-all "default"."""

from __future__ import annotations

from apispec import BasePlugin

ERROR = {"$ref": "#/components/responses/DEFAULT_ERROR"}
WRITES = {"post", "put", "patch", "delete"}


def error_codes(method: str, path: str, operation: dict) -> set[str]:
    """The error codes this operation can answer, from what it takes and who may call it."""
    codes = {"400", "401", "413"}  # a bad token is refused everywhere, big bodies too
    if operation.get("security") or method in WRITES:
        codes.add("403")
    if "{" in path:
        codes.add("404")
    if method in WRITES:
        codes |= {"409", "422", "429"}
    return codes


class ErrorResponsesPlugin(BasePlugin):
    """Adds the docs/api.md error shape under each error code an operation can answer."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            if method not in {"get", *WRITES}:
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(error_codes(method, path or "", operation)):
                responses.setdefault(code, ERROR)
