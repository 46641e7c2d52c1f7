"""Shapes shared by every part of the API: paging and errors."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate


class StrictSchema(ma.Schema):
    """Request bodies: unknown fields are an error, so typos do not pass silently."""

    class Meta:
        unknown = ma.RAISE


class QuerySchema(ma.Schema):
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
    code = fields.Integer()
    status = fields.String()
    message = fields.String()
    errors = fields.Dict()


class UserRefSchema(ma.Schema):
    username = fields.Function(lambda obj: obj.username if obj else None)
    display_name = fields.Function(lambda obj: obj.display_name if obj else None)


def author_ref(row, with_headline: bool = False) -> dict:
    """The author block; when the account is gone, the name snapshot taken at writing time."""
    author = row.author
    block = {
        "username": author.username if author else None,
        "display_name": author.display_name if author else (row.author_name or "former member"),
    }
    if with_headline:
        block["headline"] = author.headline if author else ""
    return block
