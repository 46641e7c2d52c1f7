"""The JSON API at /api/v1 (flask-smorest). Views are thin: parse, call a service, shape."""

from __future__ import annotations

from flask import Flask, request

from forum.api import (
    accounts,
    comments,
    contributions,
    docs,
    following,
    moderation,
    outcomes,
    playbook,
    prompts,
    search,
    topics,
)
from forum.api.auth import api_user
from forum.api.openapi import api
from forum.extensions import csrf


def init_app(app: Flask) -> None:
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "API token"}
    )
    api.spec.components.security_scheme("basic", {"type": "http", "scheme": "basic"})
    modules = (
        accounts,
        topics,
        prompts,
        contributions,
        outcomes,
        comments,
        moderation,
        search,
        following,
        playbook,
    )
    for module in modules:
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
