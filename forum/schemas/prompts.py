"""Topics and prompts."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.prompt import PROMPT_SORTS, PROMPT_STATUSES
from forum.schemas.common import (
    PageArgs,
    SourceSchema,
    StrictBoolean,
    StrictSchema,
    author_ref,
    page_of,
)
from forum.urls import prompt_url


class TopicSchema(ma.Schema):
    slug = fields.String()
    name = fields.String()
    description = fields.String()
    prompt_count = fields.Integer()


class TopicListSchema(ma.Schema):
    items = fields.List(fields.Nested(TopicSchema))


class TopicCreateSchema(StrictSchema):
    name = fields.String(required=True)
    description = fields.String(load_default="")
    slug = fields.String(load_default=None, allow_none=True)


class KeyPointInSchema(StrictSchema):
    id = fields.Integer(load_default=None, allow_none=True)
    title = fields.String(required=True)
    body = fields.String(load_default="")


class PromptCreateSchema(StrictSchema):
    title = fields.String(required=True)
    intro = fields.String(load_default="")
    topic = fields.String(required=True)
    key_points = fields.List(fields.Nested(KeyPointInSchema), load_default=list)
    tags = fields.List(fields.String(), load_default=list)


class PromptPatchSchema(StrictSchema):
    title = fields.String()
    intro = fields.String()
    topic = fields.String()
    key_points = fields.List(fields.Nested(KeyPointInSchema))
    tags = fields.List(fields.String())
    status = fields.String(validate=validate.OneOf(PROMPT_STATUSES))
    reason = fields.String()


class PromptListArgs(PageArgs):
    topic = fields.String()
    tag = fields.String()
    sort = fields.String(load_default="active", validate=validate.OneOf(PROMPT_SORTS))


class TopicRefSchema(ma.Schema):
    slug = fields.String()
    name = fields.String()


class KeyPointSchema(ma.Schema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    body = fields.String()


class PromptSummarySchema(ma.Schema):
    id = fields.Integer()
    slug = fields.String()
    title = fields.String()
    topic = fields.Nested(TopicRefSchema)
    tags = fields.Function(lambda p: p.tag_names)
    status = fields.String()
    contribution_count = fields.Integer()
    helpful_yes = fields.Integer()
    helpful_no = fields.Integer()
    author = fields.Function(author_ref)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    last_activity_at = fields.DateTime()
    url = fields.Function(prompt_url)
    source = fields.Nested(SourceSchema, allow_none=True)


class PromptSchema(PromptSummarySchema):
    intro = fields.String()
    intro_html = fields.String()
    key_points = fields.List(fields.Nested(KeyPointSchema))
    my_rating = fields.Function(lambda p: getattr(p, "my_rating", None))


PromptPageSchema = page_of(PromptSummarySchema, "PromptPageSchema")


class PromptListSchema(ma.Schema):
    items = fields.List(fields.Nested(PromptSummarySchema))


class HelpfulInSchema(StrictSchema):
    helpful = StrictBoolean(required=True)


class HelpfulSchema(ma.Schema):
    helpful_yes = fields.Integer()
    helpful_no = fields.Integer()
    my_rating = fields.Boolean(allow_none=True)
