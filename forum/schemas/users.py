"""Accounts, profiles, tokens and the export of a member's data."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.user import DIGESTS, EMAIL_NOTIFICATIONS, ROLES
from forum.schemas.common import Link, StrictSchema
from forum.urls import profile_url


class RegisterSchema(StrictSchema):
    username = fields.String(required=True)
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    display_name = fields.String(load_default=None, allow_none=True)


class TriedSchema(ma.Schema):
    """How often others reported trying a member's visible contributions, and how many of
    those reports say it worked."""

    tried = fields.Integer()
    worked = fields.Integer()


class UserSchema(ma.Schema):
    """A member's public profile (a Profile)."""

    username = fields.String(attribute="user.username")
    display_name = fields.String(attribute="user.display_name")
    headline = fields.String(attribute="user.headline")
    bio = fields.String(attribute="user.bio")
    role = fields.String(attribute="user.role")
    status = fields.String(attribute="user.status_now")
    joined_at = fields.DateTime(attribute="user.joined_at")
    contribution_count = fields.Integer()
    reputation = fields.Float()
    outcomes = fields.Nested(TriedSchema)
    url = Link(profile_url, attribute="user")


class MeSchema(UserSchema):
    """The caller's own account: the profile and the email address."""

    email = fields.String(attribute="user.email")
    email_confirmed = fields.Boolean(attribute="user.email_confirmed")
    email_notifications = fields.String(attribute="user.email_notifications")
    digest = fields.String(attribute="user.digest")


class ProfilePatchSchema(StrictSchema):
    display_name = fields.String()
    headline = fields.String()
    bio = fields.String()
    email_notifications = fields.String(validate=validate.OneOf(EMAIL_NOTIFICATIONS))
    digest = fields.String(validate=validate.OneOf(DIGESTS))


class PasswordResetSchema(StrictSchema):
    email = fields.String(required=True)


class AcceptedSchema(ma.Schema):
    message = fields.String()


class RoleSchema(StrictSchema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class TokenCreateSchema(StrictSchema):
    name = fields.String(load_default=None, allow_none=True)


class TokenSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String()


class TokenListSchema(ma.Schema):
    items = fields.List(fields.Nested(TokenSchema))


class ExportUserSchema(ma.Schema):
    username = fields.String()
    email = fields.String()
    display_name = fields.String()
    headline = fields.String()
    bio = fields.String()
    role = fields.String()
    status = fields.String(attribute="status_now")
    joined_at = fields.DateTime()


class ExportPromptSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    intro = fields.String()
    created_at = fields.DateTime()


class ExportRevisionSchema(ma.Schema):
    # A redacted revision's text is gone for good: an empty body, marked.
    body = fields.String()
    edited_at = fields.DateTime()
    redacted = fields.Boolean()


class ExportContributionSchema(ma.Schema):
    id = fields.Integer()
    prompt_id = fields.Integer()
    key_point_id = fields.Integer(allow_none=True)
    body = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)
    revisions = fields.List(fields.Nested(ExportRevisionSchema))


class ExportRatingSchema(ma.Schema):
    contribution_id = fields.Integer()
    score = fields.Integer()
    rated_at = fields.DateTime(attribute="updated_at")


class ExportPromptRatingSchema(ma.Schema):
    prompt_id = fields.Integer()
    helpful = fields.Boolean()
    rated_at = fields.DateTime(attribute="created_at")


class ExportFlagSchema(ma.Schema):
    target_type = fields.String()
    contribution_id = fields.Integer()
    comment_id = fields.Integer(allow_none=True)
    reason = fields.String()
    note = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


class ExportCommentSchema(ma.Schema):
    id = fields.Integer()
    contribution_id = fields.Integer()
    kind = fields.String()
    body = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)


class ExportOutcomeSchema(ma.Schema):
    contribution_id = fields.Integer()
    result = fields.String()
    setting = fields.String(allow_none=True)
    note = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ExportSavedStrategySchema(ma.Schema):
    contribution_id = fields.Integer()
    saved_at = fields.DateTime()
    remind_at = fields.DateTime()
    checkin_at = fields.DateTime(allow_none=True)


class ExportSchema(ma.Schema):
    """Everything a member wrote or rated (a MemberExport), as one document."""

    user = fields.Nested(ExportUserSchema)
    prompts = fields.List(fields.Nested(ExportPromptSchema))
    contributions = fields.List(fields.Nested(ExportContributionSchema))
    ratings = fields.List(fields.Nested(ExportRatingSchema))
    prompt_ratings = fields.List(fields.Nested(ExportPromptRatingSchema))
    flags = fields.List(fields.Nested(ExportFlagSchema))
    comments = fields.List(fields.Nested(ExportCommentSchema))
    saved_strategies = fields.List(fields.Nested(ExportSavedStrategySchema))
    outcomes = fields.List(fields.Nested(ExportOutcomeSchema))
