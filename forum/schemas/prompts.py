"""Topics and prompts."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.prompt import PROMPT_SORTS, PROMPT_STATUSES, Prompt, PromptView
from forum.schemas.common import (
    AUTHOR,
    PageArgs,
    QuerySchema,
    RoundedFloat,
    SourceSchema,
    StrictBoolean,
    StrictSchema,
    page_of,
)
from forum.urls import prompt_url


class TopicSchema(ma.Schema):
    """A topic with its number of prompts (a TopicSummary)."""

    slug = fields.String(attribute="topic.slug")
    name = fields.String(attribute="topic.name")
    description = fields.String(attribute="topic.description")
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
    """A prompt as one reader sees it (a PromptView; a bare row is nobody's view of it)."""

    id = fields.Integer(attribute="prompt.id")
    slug = fields.String(attribute="prompt.slug")
    title = fields.String(attribute="prompt.title")
    topic = fields.Nested(TopicRefSchema, attribute="prompt.topic")
    tags = fields.Function(lambda v: v.prompt.tag_names)
    status = fields.String(attribute="prompt.status")
    contribution_count = fields.Integer(attribute="prompt.contribution_count")
    helpful_yes = fields.Integer(attribute="prompt.helpful_yes")
    helpful_no = fields.Integer(attribute="prompt.helpful_no")
    author = fields.Function(lambda v: AUTHOR.dump(v.prompt))
    created_at = fields.DateTime(attribute="prompt.created_at")
    updated_at = fields.DateTime(attribute="prompt.updated_at")
    last_activity_at = fields.DateTime(attribute="prompt.last_activity_at")
    url = fields.Function(lambda v: prompt_url(v.prompt))
    source = fields.Nested(SourceSchema, attribute="prompt.source", allow_none=True)

    @ma.pre_dump
    def _seen_by_nobody(self, item, **_kwargs):
        return PromptView(item) if isinstance(item, Prompt) else item


class PromptSchema(PromptSummarySchema):
    intro = fields.String(attribute="prompt.intro")
    intro_html = fields.String(attribute="prompt.intro_html")
    key_points = fields.List(fields.Nested(KeyPointSchema), attribute="prompt.key_points")
    my_rating = fields.Function(lambda v: v.my_rating)


PromptPageSchema = page_of(PromptSummarySchema, "PromptPageSchema")


class PromptListSchema(ma.Schema):
    items = fields.List(fields.Nested(PromptSummarySchema))


class SimilarArgs(QuerySchema):
    title = fields.String(
        load_default="", metadata={"description": "The title being written (the main input)."}
    )
    intro = fields.String(load_default="", metadata={"description": "Its intro, if any."})


class SimilarPromptSchema(PromptSummarySchema):
    """A prompt summary and how alike the text asked about it is (a SimilarPrompt)."""

    similarity = RoundedFloat(
        4,
        metadata={
            "description": "0..1: the weight of words the texts share.",
            "minimum": 0,
            "maximum": 1,
        },  # fmt: skip
    )


class SimilarListSchema(ma.Schema):
    items = fields.List(fields.Nested(SimilarPromptSchema))


class HelpfulInSchema(StrictSchema):
    helpful = StrictBoolean(required=True)


class HelpfulSchema(ma.Schema):
    """The counts a helpful / not helpful vote leaves, and the voter's vote (a HelpfulCounts)."""

    helpful_yes = fields.Integer()
    helpful_no = fields.Integer()
    my_rating = fields.Boolean(allow_none=True)
