"""Shapes shared by every part of the API: paging, errors, authors and rounded numbers."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
from marshmallow import fields, validate


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class InputSchema(ma.Schema):
    """What clients send. NUL characters are refused: PostgreSQL cannot store them in text, and
    no field of the forum has a use for them."""

    @ma.pre_load
    def _refuse_nul_characters(self, data, **_kwargs):
        if isinstance(data, Mapping):
            errors = {
                str(name): ["NUL characters are not allowed."]
                for name, value in data.items()
                if _has_nul(name) or _has_nul(value)
            }
            if errors:
                raise ma.ValidationError(errors)
        return data


class StrictSchema(InputSchema):
    """Request bodies: unknown fields are an error, so typos do not pass silently."""

    class Meta:
        unknown = ma.RAISE


class StrictBoolean(fields.Boolean):
    """JSON true or false only: marshmallow's Boolean also takes 1, 0 and "yes"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class QuerySchema(InputSchema):
    class Meta:
        unknown = ma.EXCLUDE


class PageArgs(QuerySchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageSchema(ma.Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


def page_of(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A paged list schema: {"items": [...], "page", "per_page", "total"}."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema))})


class ErrorSchema(ma.Schema):
    """Every error answer of the API (forum/errors.py dumps it; the OpenAPI document names it)."""

    code = fields.Integer(metadata={"description": "Error code"})
    status = fields.String(metadata={"description": "Error name"})
    message = fields.String(metadata={"description": "Error message"})
    errors = fields.Dict(metadata={"description": "Errors"})


class RoundedFloat(fields.Float):
    """A number rounded to `places` decimals."""

    def __init__(self, places: int, **kwargs):
        super().__init__(**kwargs)
        self.places = places

    def _serialize(self, value, attr, obj, **kwargs):
        rounded = None if value is None else round(value, self.places)
        return super()._serialize(rounded, attr, obj, **kwargs)


class Link(fields.String):
    """The address of a page, which `build` makes from the field's value."""

    def __init__(self, build, **kwargs):
        super().__init__(**kwargs)
        self.build = build

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else self.build(value)


def _display_name(row) -> str:
    return row.author.display_name if row.author else (row.author_name or "former member")


class AuthorSchema(ma.Schema):
    """The author block of a prompt or contribution row; when the account is gone, no username
    and the name snapshot taken at writing time."""

    username = fields.Function(lambda row: row.author.username if row.author else None)
    display_name = fields.Function(_display_name)


class AuthorWithHeadlineSchema(AuthorSchema):
    headline = fields.Function(lambda row: row.author.headline if row.author else "")


AUTHOR = AuthorSchema()
AUTHOR_WITH_HEADLINE = AuthorWithHeadlineSchema()


class SourceSchema(ma.Schema):
    """Where imported content came from (CC BY-SA attribution); null for content written here."""

    site = fields.String()
    original_id = fields.Integer()
    url = fields.String()
    author_name = fields.String()
    license = fields.String()
    # The original's votes; on a contribution they count as imported ratings (up 5, down 1).
    up_votes = fields.Integer()
    down_votes = fields.Integer()
