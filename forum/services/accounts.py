"""Accounts: registration, sign-in, profiles, roles and API tokens."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets

from sqlalchemy import bindparam, delete, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.models import ApiToken, User
from forum.models.user import DIGESTS, EMAIL_NOTIFICATIONS, ROLES
from forum.names import clean_display_name, display_name_problems, name_key
from forum.permissions import can, is_active
from forum.services import audit
from forum.services.errors import Conflict, Forbidden, Invalid, NotFound, invalid

USERNAME = re.compile(r"^[a-z0-9_-]{3,30}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
TOKEN_PREFIX = "cp_"  # noqa: S105 (a prefix, not a secret)


@functools.cache
def _dummy_hash() -> str:
    """Compared against when the account does not exist, so a wrong name costs as long as a
    wrong password and login timing does not reveal which accounts exist. Made on first use,
    not at import: every worker would otherwise pay for it at start."""
    return generate_password_hash("not-a-real-password-anywhere")


def find_user(username: str) -> User | None:
    if "\x00" in username:  # no username has one, and PostgreSQL refuses them in queries
        return None
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def get_user(username: str) -> User:
    user = find_user(username)
    if user is None:
        raise NotFound("No such member.")
    return user


def _validate_new_account(username: str, email: str, password: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not USERNAME.match(username or ""):
        errors["username"] = ["Use 3 to 30 characters: a-z, 0-9, _ and -."]
    elif find_user(username) is not None:
        errors["username"] = ["That username is taken."]
    if not EMAIL.match(email or "") or len(email) > 254:
        errors["email"] = ["Enter a valid email address."]
    elif db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        # Emails are unique (docs/api.md); the message is the same whoever owns the address.
        errors["email"] = ["That email address cannot be used."]
    if len(password or "") < MIN_PASSWORD:
        errors["password"] = [f"Use at least {MIN_PASSWORD} characters."]
    elif len(password) > 1000:
        errors["password"] = ["Use at most 1000 characters."]
    return errors


def register(
    username: str, email: str, password: str, display_name: str | None = None, role="member"
) -> User:
    """Create an account. Usernames are stored as typed and unique case-insensitively."""
    username = (username or "").strip()
    email = (email or "").strip()
    errors = _validate_new_account(username.lower(), email, password)
    if role not in ROLES:
        errors["role"] = [f"Role must be one of {', '.join(ROLES)}."]
    typed, display_name = display_name, clean_display_name(display_name)
    if display_name:
        problems = _display_name_errors(typed)
    else:  # shown by their username; worth checking only when the username itself is fine
        display_name = username.lower()
        problems = [] if "username" in errors else _display_name_errors(display_name, default=True)
    if problems:
        errors["display_name"] = problems
    if errors:
        raise Invalid("Some fields need attention.", errors)
    user = User(
        username=username.lower(),
        email=email,
        password_hash=generate_password_hash(password),
        display_name=display_name,
        role=role,
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user whose credentials these are, or None. Same work whether or not the name exists."""
    user = find_user(username or "") if username else None
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current or ""):
        raise invalid("current_password", "That is not your current password.")
    if len(new or "") < MIN_PASSWORD:
        raise invalid("new_password", f"Use at least {MIN_PASSWORD} characters.")
    user.password_hash = generate_password_hash(new)
    user.session_version += 1
    # Whoever learned the old password may have made tokens with it: they all stop working.
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.commit()


def end_sessions(user: User) -> None:
    """Logging out: every session and remember-me cookie of this account stops working, also a
    copy of one kept from before (the user loader compares session_version)."""
    user.session_version += 1
    db.session.commit()


# Settings chosen from a list (email_notifications, digest): what each may be.
CHOICES = {"email_notifications": EMAIL_NOTIFICATIONS, "digest": DIGESTS}


def update_profile(user: User, **fields) -> User:
    """Change the member's own profile (what others see) and email settings (what reaches them:
    still theirs to choose while suspended)."""
    limits = {"display_name": 60, "headline": 120, "bio": 5000}
    if not is_active(user) and any(fields.get(name) is not None for name in limits):
        raise Forbidden("This account is suspended: it can read but not write.")
    errors = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name in CHOICES:
            if value in CHOICES[name]:
                setattr(user, name, value)
            else:
                errors[name] = [f"Must be one of: {', '.join(CHOICES[name])}."]
            continue
        value = value.strip()
        if name == "display_name":
            typed, value = value, clean_display_name(value)
            # A name the member already has is kept as it is, even one from before these checks.
            problems = [] if value == user.display_name else _display_name_errors(typed, user)
            if problems:
                errors[name] = problems
                continue
        if len(value) > limits[name]:
            errors[name] = [f"Use at most {limits[name]} characters."]
        else:
            setattr(user, name, value)
    if errors:
        db.session.rollback()
        raise Invalid("Some fields need attention.", errors)
    db.session.commit()
    return user


def _display_name_errors(typed: str, user: User | None = None, default=False) -> list[str]:
    """Why this display name cannot be used, or []. It must not look like the username or the
    display name of any other member (their own username is fine)."""
    problems = display_name_problems(typed)
    if problems:
        return problems
    key = name_key(clean_display_name(typed))
    lookalike = select(User.username).where(or_(User.username_key == key, User.display_key == key))
    if user is not None:
        lookalike = lookalike.where(User.id != user.id)
    other = db.session.scalar(lookalike.order_by(User.id).limit(1))
    if other is None:
        return []
    if default:
        return [
            f"Your username looks like the name of another member (@{other}), so it cannot be "
            "your display name. Choose a display name."
        ]
    return [f"That looks like the name of another member (@{other}). Choose a name of your own."]


def set_role(actor: User | None, user: User, role: str) -> User:
    """Change a member's role; the audit log records who did it (None: the command line)."""
    if role not in ROLES:
        raise invalid("role", f"Role must be one of {', '.join(ROLES)}.")
    if actor is not None and not can(actor, "set_role"):
        raise Forbidden("Only an admin can change roles.")
    if user.role == "admin" and role != "admin" and not _another_active_admin(user):
        raise Conflict("The last active admin cannot give up the role: make another admin first.")
    if user.role != role:
        audit.record(actor, "set_role", "user", user.id, f"{user.role} -> {role}")
        user.role = role
        user.session_version += 1
    db.session.commit()
    return user


def _another_active_admin(user: User) -> bool:
    """Whether an admin other than `user` may act (not suspended): the forum keeps one. The
    admins' rows stay locked until the change commits (PostgreSQL), so two admins demoting each
    other at once cannot both succeed."""
    admins = db.session.scalars(
        select(User).where(User.role == "admin").order_by(User.id).with_for_update()
    )
    return any(admin.id != user.id and is_active(admin) for admin in admins)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str | None = None) -> tuple[ApiToken, str]:
    """A new API token; the secret is returned once and only its digest is kept."""
    name = (name or "").strip()
    if len(name) > 100:
        raise invalid("name", "Use at most 100 characters.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name or "API token", token_hash=_digest(secret))
    db.session.add(token)
    db.session.commit()
    return token, secret


# The account behind a token and the digest it was found by, in one query built once: every
# API call with a token asks it.
_TOKEN_OWNER = (
    select(User, ApiToken.token_hash)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"))
)


def user_for_token(secret: str) -> User | None:
    """The account a bearer token belongs to: looked up by digest, compared in constant time."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = _digest(secret)
    found = db.session.execute(_TOKEN_OWNER, {"digest": digest}).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return found.User


def list_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        )
    )


def revoke_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("No such token.")
    db.session.delete(token)
    db.session.commit()
