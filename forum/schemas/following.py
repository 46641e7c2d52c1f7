"""Subscriptions and notifications."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.following import LEVELS
from forum.schemas.common import PageArgs, PageSchema, StrictBoolean, StrictSchema, page_of
from forum.urls import MAX_ID, public_url


class SubscriptionPutSchema(StrictSchema):
    target_type = fields.String(required=True)
    # The id of a prompt, key point or contribution; a topic's slug, a tag's name, a username.
    target = fields.Raw(required=True)
    level = fields.String(load_default="watching", validate=validate.OneOf(LEVELS))


class SubscriptionSchema(ma.Schema):
    id = fields.Integer()
    target_type = fields.String()
    target = fields.Raw()
    level = fields.String()


SubscriptionPageSchema = page_of(SubscriptionSchema, "SubscriptionPageSchema")


class NotificationArgs(PageArgs):
    unread = fields.Boolean(load_default=False)


def _url(item) -> str | None:
    if item.contribution_id is None:
        return None
    if item.kind == "checkin":  # to the contribution's outcome form
        return public_url("playbook.how_it_went", contribution_id=item.contribution_id)
    return public_url("contributions.show", contribution_id=item.contribution_id)


class NotificationSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    actor = fields.Dict(allow_none=True)
    prompt = fields.Dict(allow_none=True)
    contribution_id = fields.Integer(allow_none=True)
    comment_id = fields.Integer(allow_none=True)
    text = fields.String()
    url = fields.Function(_url)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationPageSchema(PageSchema):
    items = fields.List(fields.Nested(NotificationSchema))
    unread_count = fields.Integer(required=True)


class ReadSchema(StrictSchema):
    ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        validate=validate.Length(max=1000),
    )
    all = StrictBoolean()

    @ma.validates_schema
    def _one_of(self, data, **_kwargs):
        if "ids" not in data and not data.get("all"):
            raise ma.ValidationError("Give ids: [...] or all: true.", "ids")


class UnreadSchema(ma.Schema):
    unread_count = fields.Integer()
