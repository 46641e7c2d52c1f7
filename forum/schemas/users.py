"""Accounts, profiles and tokens."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.user import ROLES
from forum.schemas.common import StrictSchema


class RegisterSchema(StrictSchema):
    username = fields.String(required=True)
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    display_name = fields.String(load_default=None, allow_none=True)


class UserSchema(ma.Schema):
    username = fields.String()
    display_name = fields.String()
    headline = fields.String()
    bio = fields.String()
    role = fields.String()
    status = fields.String()
    joined_at = fields.DateTime()
    contribution_count = fields.Integer()
    reputation = fields.Float()
    url = fields.String()


class MeSchema(UserSchema):
    email = fields.String()


class ProfilePatchSchema(StrictSchema):
    display_name = fields.String()
    headline = fields.String()
    bio = fields.String()


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
