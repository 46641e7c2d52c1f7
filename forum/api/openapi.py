"""The API object: flask-smorest's Api, which routes the blueprints and writes the OpenAPI
document (served at /api/v1/openapi.json and read by the docs page)."""

from __future__ import annotations

from flask_smorest import Api as SmorestApi

from forum.api.openapi_errors import ErrorResponsesPlugin
from forum.schemas.common import ErrorSchema


class Api(SmorestApi):
    """flask-smorest's Api, minus its app-wide error handler: forum.errors answers for the API
    (in the shape of docs/api.md) and renders pages for people everywhere else. The document
    describes those answers with the schema forum.errors dumps them with."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


api = Api(spec_kwargs={"extra_plugins": [ErrorResponsesPlugin()]})
