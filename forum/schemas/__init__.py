"""Marshmallow schemas: the JSON shapes of the API (docs/api.md), kept apart from table rows."""
