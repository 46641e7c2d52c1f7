"""Who may do what: pure predicates, the one place where permissions are decided.

Every function takes the acting user (None for an anonymous reader) and, where it matters, the
target. Nothing here reads `current_user` or the database; the role x action matrix test covers it.
"""

from __future__ import annotations

from datetime import UTC, datetime

ROLE_RANK = {"member": 1, "moderator": 2, "admin": 3}

MEMBER_ACTIONS = {"contribute", "rate_prompt", "create_token", "comment"}
MODERATOR_ACTIONS = {
    "create_prompt",
    "edit_prompt",
    "create_topic",
    "hide",
    "feature",
    "work_flags",
    "read_log",
    "read_hidden",  # see hidden and deleted contributions, their history included
    "redact",
}
ADMIN_ACTIONS = {"set_role"}
# What any signed-in account may do to its own access, suspended or not: each only takes access
# away (or secures the account) and nothing of it reaches other members.
OWN_ACCESS_ACTIONS = {"log_out", "change_password", "revoke_token"}
# What any signed-in account may choose about what reaches it (following, muting, its inbox,
# the email it gets), suspended or not: nothing of it reaches other members.
OWN_INBOX_ACTIONS = {"follow", "choose_email"}


def rank(user) -> int:
    return ROLE_RANK.get(getattr(user, "role", None), 0) if user is not None else 0


def is_active(user, now: datetime | None = None) -> bool:
    """A signed-in account that may write: not suspended, or its suspension has ended."""
    if user is None:
        return False
    if user.status != "suspended":
        return True
    until = user.suspended_until
    return until is not None and until <= (now or datetime.now(UTC))


def is_moderator(user) -> bool:
    return rank(user) >= ROLE_RANK["moderator"]


def can(user, action: str, target=None) -> bool:
    """May `user` do `action` (on `target`)? Suspended accounts may only read, and a suspension
    removes every moderator power, reading what is hidden or deleted included."""
    if action in ("read_contribution", "read_comment"):
        return target.status == "visible" or _is_author(user, target) or can(user, "read_hidden")
    if action in OWN_ACCESS_ACTIONS or action in OWN_INBOX_ACTIONS:
        return user is not None
    if action == "read_outcome_notes":
        # The private notes of those who tried a strategy: its author and moderators.
        return _is_author(user, target) or can(user, "read_hidden")
    if not is_active(user):
        return False
    if action in MEMBER_ACTIONS:
        return True
    if action in MODERATOR_ACTIONS:
        return is_moderator(user)
    if action in ADMIN_ACTIONS:
        return rank(user) >= ROLE_RANK["admin"]
    if action in ("edit_contribution", "delete_contribution", "edit_comment", "delete_comment"):
        if target.status == "deleted":
            return is_moderator(user)
        return _is_author(user, target) or is_moderator(user)
    if action in ("restore", "restore_comment"):
        # What its author deleted stays deleted until the author changes their mind.
        if target.status == "deleted" and target.deleted_by_author:
            return _is_author(user, target)
        return is_moderator(user)
    if action in ("rate_contribution", "flag", "flag_comment", "report_outcome", "save_strategy"):
        return not _is_author(user, target) and target.status == "visible"
    if action in ("suspend", "purge"):
        # Moderators act on members; only an admin acts on a moderator; nobody on themselves.
        return is_moderator(user) and rank(user) > rank(target) and user.id != target.id
    raise ValueError(f"unknown action {action!r}")


def _is_author(user, contribution) -> bool:
    return (
        user is not None
        and contribution.author_id is not None
        and (contribution.author_id == user.id)
    )
