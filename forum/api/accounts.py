"""Accounts API: registration, tokens, the caller's own profile and export, public profiles."""

from __future__ import annotations

from flask_smorest import Blueprint

from forum.api.auth import (
    active_member_required,
    basic_user,
    member_required,
    require_active_user,
    require_user,
)
from forum.extensions import limiter
from forum.limits import (
    address_key,
    basic_account,
    limit_logins,
    limit_writes,
    password_reset_limit,
    register_limit,
)
from forum.permissions import can
from forum.schemas.users import (
    AcceptedSchema,
    ExportSchema,
    MeSchema,
    NewTokenSchema,
    PasswordResetSchema,
    ProfilePatchSchema,
    RegisterSchema,
    RoleSchema,
    TokenCreateSchema,
    TokenListSchema,
    UserSchema,
)
from forum.services import accounts, email_accounts, profiles
from forum.services.errors import Forbidden

RESET_ACCEPTED = (
    "If an account uses that address, a link to set a new password is on its way; "
    "it works once, for one hour."
)

blp = Blueprint("api_accounts", __name__, description="Accounts, tokens and profiles")


@blp.post("/auth/register")
@limiter.limit(register_limit, methods=["POST"])
@blp.arguments(RegisterSchema)
@blp.response(201, UserSchema)
def register(data):
    """Create an account (a member); a link to confirm the address is emailed."""
    user = accounts.register(**data)
    email_accounts.send_confirmation(user)
    return profiles.profile_of(user)


@blp.post("/auth/password-reset")
@limit_writes
@limiter.shared_limit(
    password_reset_limit, scope="password-reset", key_func=address_key, methods=["POST"]
)
@blp.arguments(PasswordResetSchema)
@blp.response(202, AcceptedSchema)
def password_reset(data):
    """Email a link to set a new password (valid one hour, used once). The answer is the same
    whether or not an account uses the address."""
    email_accounts.request_password_reset(data["email"])
    return {"message": RESET_ACCEPTED}


@blp.post("/auth/tokens")
@limit_logins(basic_account)
@blp.arguments(TokenCreateSchema)
@blp.response(201, NewTokenSchema)
@blp.doc(security=[{"basic": []}])
def create_token(data):
    """Create an API token with HTTP Basic credentials. The secret is shown once."""
    user = basic_user()
    if not can(user, "create_token"):
        raise Forbidden("This account is suspended: it cannot create tokens.")
    token, secret = accounts.create_token(user, data.get("name"))
    return {"id": token.id, "name": token.name, "token": secret, "created_at": token.created_at}


@blp.get("/auth/tokens")
@member_required
@blp.response(200, TokenListSchema)
@blp.doc(security=[{"bearer": []}])
def list_tokens():
    """The caller's tokens, without their secrets."""
    return {"items": accounts.list_tokens(require_user())}


@blp.delete("/auth/tokens/<int:token_id>")
@member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def revoke_token(token_id):
    """Revoke a token: it stops working at once."""
    accounts.revoke_token(require_user(), token_id)


@blp.get("/me")
@member_required
@blp.response(200, MeSchema)
@blp.doc(security=[{"bearer": []}])
def me():
    """The caller's own account, with email."""
    return profiles.profile_of(require_user())


@blp.patch("/me")
@member_required
@limit_writes
@blp.arguments(ProfilePatchSchema)
@blp.response(200, MeSchema)
@blp.doc(security=[{"bearer": []}])
def update_me(data):
    """Change display name, headline, bio, or how notifications reach you by email
    (email_notifications: immediately, digest or off; digest: daily, weekly or off)."""
    # A suspended member may still change their email settings, not what others see (403).
    return profiles.profile_of(accounts.update_profile(require_user(), **data))


@blp.get("/me/export")
@member_required
@blp.response(200, ExportSchema)
@blp.doc(security=[{"bearer": []}])
def export_me():
    """Everything the caller wrote or rated, as one JSON document."""
    return profiles.export(require_user())


@blp.get("/users/<username>")
@blp.response(200, UserSchema)
def show_user(username):
    """A member's public profile."""
    return profiles.profile_of(accounts.get_user(username))


@blp.patch("/users/<username>")
@active_member_required
@limit_writes
@blp.arguments(RoleSchema)
@blp.response(200, UserSchema)
@blp.doc(security=[{"bearer": []}])
def set_role(data, username):
    """Admins set roles: member, moderator or admin."""
    actor = require_active_user()
    if not can(actor, "set_role"):
        raise Forbidden("Only an admin can change roles.")
    return profiles.profile_of(accounts.set_role(actor, accounts.get_user(username), data["role"]))
