"""The JSON API at /api/v1 (flask-smorest). Views are thin: parse, call a service, shape."""

from __future__ import annotations

from flask import Flask, request
from flask_smorest import Api as SmorestApi

from forum.api.auth import api_user
from forum.api.openapi_errors import ErrorResponsesPlugin
from forum.extensions import csrf


class Api(SmorestApi):
    """flask-smorest's Api, minus its app-wide error handler: forum.errors answers for the API
    (in the shape of docs/api.md) and renders pages for people everywhere else."""

    def _register_error_handlers(self):
        pass


api = Api(spec_kwargs={"extra_plugins": [ErrorResponsesPlugin()]})


def init_app(app: Flask) -> None:
    from forum.api import accounts, contributions, docs, moderation, prompts, search, topics

    api.init_app(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "API token"}
    )
    api.spec.components.security_scheme("basic", {"type": "http", "scheme": "basic"})
    for module in (accounts, topics, prompts, contributions, moderation, search):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
        csrf.exempt(module.blp)  # the API uses bearer tokens, never cookies
    app.register_blueprint(docs.blp)

    @app.before_request
    def _refuse_bad_bearer_tokens():
        """A bearer token that does not work is a 401 everywhere, also on public endpoints,
        so a client learns at once that its token was revoked or mistyped."""
        header = request.headers.get("Authorization", "")
        if request.path.startswith("/api/") and header[:7].lower() == "bearer ":
            api_user()
