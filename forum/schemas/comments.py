"""Comments under contributions: what clients send and what they get back."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.comment import COMMENT_KINDS
from forum.schemas.common import AUTHOR, StrictSchema, page_of
from forum.urls import public_url


def comment_url(comment) -> str:
    """Where a comment is read: its contribution's comments, at the comment."""
    base = public_url("comments.listing", contribution_id=comment.contribution_id)
    return f"{base}#comment-{comment.id}"


class CommentCreateSchema(StrictSchema):
    body = fields.String(required=True, metadata={"description": "Markdown, at most 2,000"})
    kind = fields.String(
        load_default="question",
        validate=validate.OneOf(COMMENT_KINDS),
        metadata={"description": "question (default), context or counter"},
    )


class CommentPatchSchema(StrictSchema):
    body = fields.String(required=True)


class CommentSchema(ma.Schema):
    id = fields.Integer()
    contribution_id = fields.Integer()
    body = fields.String()
    body_html = fields.String()
    kind = fields.String(validate=validate.OneOf(COMMENT_KINDS))
    status = fields.String()
    hidden_reason = fields.Function(lambda c: c.hidden_reason or None)
    author = fields.Function(AUTHOR.dump)
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)
    url = fields.Function(comment_url)


CommentPageSchema = page_of(CommentSchema, "CommentPageSchema")
