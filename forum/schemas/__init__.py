"""Marshmallow schemas: the JSON shapes of the API (api.md), kept apart from table rows."""
