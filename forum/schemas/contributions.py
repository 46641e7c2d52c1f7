"""Contributions, revisions, ratings, flags and strategies."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.contribution import CONTRIBUTION_SORTS
from forum.models.moderation import FLAG_REASONS, FLAG_STATUSES
from forum.schemas.common import PageArgs, SourceSchema, StrictSchema, author_ref, page_of
from forum.services.ratings import summary
from forum.urls import contribution_url


class ContributionCreateSchema(StrictSchema):
    body = fields.String(required=True)
    key_point_id = fields.Integer(load_default=None, allow_none=True, strict=True)


class ContributionPatchSchema(StrictSchema):
    body = fields.String(required=True)


class ContributionListArgs(PageArgs):
    sort = fields.String(load_default="useful", validate=validate.OneOf(CONTRIBUTION_SORTS))
    key_point = fields.Integer()


class RatingSummarySchema(ma.Schema):
    count = fields.Integer()
    average = fields.Float(allow_none=True)
    histogram = fields.List(fields.Integer())
    score = fields.Float()


class ContributionSchema(ma.Schema):
    id = fields.Integer()
    prompt_id = fields.Integer()
    key_point_id = fields.Integer(allow_none=True)
    body = fields.String()
    body_html = fields.String()
    tags = fields.Function(lambda c: c.tag_names)
    status = fields.String()
    featured = fields.Boolean()
    hidden_reason = fields.Function(lambda c: c.hidden_reason or None)
    author = fields.Function(lambda c: author_ref(c, with_headline=True))
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)
    rating = fields.Function(summary)
    my_rating = fields.Function(lambda c: getattr(c, "my_rating", None))
    is_new = fields.Function(lambda c: bool(getattr(c, "is_new", False)))
    url = fields.Function(contribution_url)
    source = fields.Nested(SourceSchema, allow_none=True)


ContributionPageSchema = page_of(ContributionSchema, "ContributionPageSchema")


class RevisionSchema(ma.Schema):
    id = fields.Integer()
    body = fields.String(metadata={"description": "Empty once a moderator removed the text."})
    edited_at = fields.DateTime()
    editor = fields.Function(lambda r: r.editor_name)
    redacted = fields.Boolean(
        metadata={"description": "A moderator removed this version's text for good."}
    )
    redacted_at = fields.DateTime(allow_none=True)


class RevisionListSchema(ma.Schema):
    items = fields.List(fields.Nested(RevisionSchema))


class RatingInSchema(StrictSchema):
    score = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))


class RatingOutSchema(RatingSummarySchema):
    my_rating = fields.Integer(allow_none=True)


class FlagInSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(FLAG_REASONS))
    note = fields.String(load_default="")


class FlagSchema(ma.Schema):
    id = fields.Integer()
    contribution_id = fields.Integer()
    reason = fields.String()
    note = fields.String()
    status = fields.String(validate=validate.OneOf(FLAG_STATUSES))
    reporter = fields.Function(lambda f: f.reporter.username if f.reporter else f.reporter_name)
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    resolution = fields.Function(lambda f: f.resolution or None)


class StrategiesArgs(PageArgs):
    topic = fields.String()
    tag = fields.String()
    min_ratings = fields.Integer(load_default=1, validate=validate.Range(min=0, max=1_000_000))


class StrategySchema(ContributionSchema):
    prompt = fields.Function(lambda c: {"id": c.prompt.id, "title": c.prompt.title})


StrategyPageSchema = page_of(StrategySchema, "StrategyPageSchema")
