"""The moderators' queue and audit log."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.moderation import FLAG_RESOLUTIONS, FLAG_STATUSES
from forum.schemas.comments import CommentSchema
from forum.schemas.common import PageArgs, StrictSchema, page_of
from forum.schemas.contributions import ContributionSchema, FlagSchema


class FlagListArgs(PageArgs):
    status = fields.String(load_default="open", validate=validate.OneOf(FLAG_STATUSES))


class FlagWithContributionSchema(FlagSchema):
    contribution = fields.Nested(ContributionSchema)
    # A comment's flag: the comment (its contribution is `contribution`); null otherwise.
    comment = fields.Nested(CommentSchema, allow_none=True)


FlagPageSchema = page_of(FlagWithContributionSchema, "FlagPageSchema")


class ResolveSchema(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(FLAG_RESOLUTIONS))
    note = fields.String(load_default="")


class HideSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class PurgeSchema(HideSchema):
    """Why the account is suspended and its contributions hidden (the authors see it)."""


class ReasonSchema(StrictSchema):
    reason = fields.String(load_default="")


class RedactSchema(StrictSchema):
    revision_id = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        metadata={"description": "The revision to redact; without it, every earlier revision."},
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class SuspendSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    until = fields.AwareDateTime(load_default=None, allow_none=True, default_timezone=None)


class LogEntrySchema(ma.Schema):
    id = fields.Integer()
    actor = fields.Function(lambda a: a.actor_name)
    action = fields.String()
    target_type = fields.String()
    target_id = fields.Integer()
    reason = fields.String()
    created_at = fields.DateTime()


LogPageSchema = page_of(LogEntrySchema, "LogPageSchema")
