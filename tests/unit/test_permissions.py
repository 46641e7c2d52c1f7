"""The permission matrix: every role against every action of forum/permissions.py.

Permissions are pure predicates, so stand-in objects do: no app, no database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from forum import permissions
from forum.permissions import can, is_active

NOW = datetime.now(UTC)
NOBODY = 999  # the author of contributions that are nobody's own


def person(ident: int, role: str, status: str = "active", until: datetime | None = None):
    return SimpleNamespace(id=ident, role=role, status=status, suspended_until=until)


ACTORS = {
    "anonymous": None,
    "member": person(1, "member"),
    "suspended member": person(2, "member", "suspended"),
    "member suspended until tomorrow": person(3, "member", "suspended", NOW + timedelta(days=1)),
    "member whose suspension has expired": person(
        4, "member", "suspended", NOW - timedelta(hours=1)
    ),
    "suspended moderator": person(5, "moderator", "suspended"),
    "moderator": person(6, "moderator"),
    "admin": person(7, "admin"),
    "suspended admin": person(8, "admin", "suspended"),
}
EVERYONE = set(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
ACTIVE = {"member", "member whose suspension has expired", "moderator", "admin"}
MODERATORS = {"moderator", "admin"}
NOBODY_AT_ALL: set[str] = set()


def contribution(status: str, own: bool, deleted_by_author: bool = False):
    return lambda actor: SimpleNamespace(
        author_id=actor.id if own and actor is not None else NOBODY,
        status=status,
        deleted_by_author=deleted_by_author,
    )


def account(ident: int, role: str):
    return lambda _actor: person(ident, role)


def themselves(actor):
    return actor


def no_target(_actor):
    return None


# (action, what it is done to, how to make that target for an actor, who may)
MATRIX = [
    ("contribute", "-", no_target, ACTIVE),
    ("rate_prompt", "-", no_target, ACTIVE),
    ("create_token", "-", no_target, ACTIVE),
    ("comment", "-", no_target, ACTIVE),
    *[(action, "-", no_target, MODERATORS) for action in sorted(permissions.MODERATOR_ACTIONS)],
    ("set_role", "-", no_target, {"admin"}),
    # Taking one's own access away stays possible during a suspension.
    *[(action, "-", no_target, SIGNED_IN) for action in sorted(permissions.OWN_ACCESS_ACTIONS)],
    # Following and the inbox are the member's own choice, suspended or not.
    ("follow", "-", no_target, SIGNED_IN),
    ("choose_email", "-", no_target, SIGNED_IN),
    ("read_contribution", "someone else's visible", contribution("visible", False), EVERYONE),
    ("read_contribution", "own hidden", contribution("hidden", True), SIGNED_IN),
    ("read_contribution", "own deleted", contribution("deleted", True), SIGNED_IN),
    # A suspension removes every moderator power, reading what is hidden or deleted included.
    ("read_contribution", "someone else's hidden", contribution("hidden", False), MODERATORS),
    ("read_contribution", "someone else's deleted", contribution("deleted", False), MODERATORS),
    # Only its author restores a contribution the author deleted; moderators restore the rest.
    ("restore", "someone else's hidden", contribution("hidden", False), MODERATORS),
    ("restore", "own hidden", contribution("hidden", True), MODERATORS),
    (
        "restore",
        "someone else's, deleted by a moderator",
        contribution("deleted", False),
        MODERATORS,
    ),
    ("restore", "own, deleted by a moderator", contribution("deleted", True), MODERATORS),
    (
        "restore",
        "someone else's, deleted by its author",
        contribution("deleted", False, deleted_by_author=True),
        NOBODY_AT_ALL,
    ),
    (
        "restore",
        "own, deleted by oneself",
        contribution("deleted", True, deleted_by_author=True),
        ACTIVE,
    ),
    *[
        row
        for action in ("edit_contribution", "delete_contribution")
        for row in [
            (action, "own visible", contribution("visible", True), ACTIVE),
            (action, "own hidden", contribution("hidden", True), ACTIVE),
            (action, "own deleted", contribution("deleted", True), MODERATORS),
            (action, "someone else's visible", contribution("visible", False), MODERATORS),
            (action, "someone else's deleted", contribution("deleted", False), MODERATORS),
        ]
    ],
    *[
        row
        for action in ("rate_contribution", "flag")
        for row in [
            (action, "someone else's visible", contribution("visible", False), ACTIVE),
            (action, "own visible", contribution("visible", True), NOBODY_AT_ALL),
            (action, "someone else's hidden", contribution("hidden", False), NOBODY_AT_ALL),
            (action, "someone else's deleted", contribution("deleted", False), NOBODY_AT_ALL),
        ]
    ],
    # Outcomes: reported on others' visible strategies as ratings are; the notes of those who
    # tried one are read by its author (suspended or not) and by moderators.
    ("report_outcome", "someone else's visible", contribution("visible", False), ACTIVE),
    ("report_outcome", "own visible", contribution("visible", True), NOBODY_AT_ALL),
    ("report_outcome", "someone else's hidden", contribution("hidden", False), NOBODY_AT_ALL),
    ("report_outcome", "someone else's deleted", contribution("deleted", False), NOBODY_AT_ALL),
    ("read_outcome_notes", "own visible", contribution("visible", True), SIGNED_IN),
    ("read_outcome_notes", "own hidden", contribution("hidden", True), SIGNED_IN),
    ("read_outcome_notes", "someone else's visible", contribution("visible", False), MODERATORS),
    ("read_outcome_notes", "someone else's hidden", contribution("hidden", False), MODERATORS),
    # Comments: read, edited, deleted, restored and flagged as contributions are.
    ("read_comment", "someone else's visible", contribution("visible", False), EVERYONE),
    ("read_comment", "own hidden", contribution("hidden", True), SIGNED_IN),
    ("read_comment", "someone else's hidden", contribution("hidden", False), MODERATORS),
    ("read_comment", "someone else's deleted", contribution("deleted", False), MODERATORS),
    *[
        row
        for action in ("edit_comment", "delete_comment")
        for row in [
            (action, "own visible", contribution("visible", True), ACTIVE),
            (action, "own deleted", contribution("deleted", True), MODERATORS),
            (action, "someone else's visible", contribution("visible", False), MODERATORS),
        ]
    ],
    ("restore_comment", "someone else's hidden", contribution("hidden", False), MODERATORS),
    ("restore_comment", "own hidden", contribution("hidden", True), MODERATORS),
    (
        "restore_comment",
        "own, deleted by oneself",
        contribution("deleted", True, deleted_by_author=True),
        ACTIVE,
    ),
    (
        "restore_comment",
        "someone else's, deleted by its author",
        contribution("deleted", False, deleted_by_author=True),
        NOBODY_AT_ALL,
    ),
    ("flag_comment", "someone else's visible", contribution("visible", False), ACTIVE),
    ("flag_comment", "own visible", contribution("visible", True), NOBODY_AT_ALL),
    ("flag_comment", "someone else's hidden", contribution("hidden", False), NOBODY_AT_ALL),
    *[
        row
        for action in ("suspend", "purge")
        for row in [
            (action, "a member", account(101, "member"), MODERATORS),
            (action, "a moderator", account(102, "moderator"), {"admin"}),
            (action, "an admin", account(103, "admin"), NOBODY_AT_ALL),
            (action, "themselves", themselves, NOBODY_AT_ALL),
        ]
    ],
]


@pytest.mark.parametrize("role", ACTORS)
@pytest.mark.parametrize(
    "action, target_name, make_target, allowed",
    MATRIX,
    ids=[f"{action}:{target}" for action, target, _, _ in MATRIX],
)
def test_each_role_may_do_exactly_what_the_matrix_allows(
    role, action, target_name, make_target, allowed
):
    actor = ACTORS[role]
    assert can(actor, action, make_target(actor)) is (role in allowed)


def test_the_matrix_covers_every_action_permissions_knows():
    named = {action for action, *_ in MATRIX}
    known = (
        permissions.MEMBER_ACTIONS
        | permissions.MODERATOR_ACTIONS
        | permissions.ADMIN_ACTIONS
        | permissions.OWN_ACCESS_ACTIONS
        | permissions.OWN_INBOX_ACTIONS
        | {
            "read_contribution",
            "restore",
            "edit_contribution",
            "delete_contribution",
            "rate_contribution",
            "flag",
            "read_comment",
            "edit_comment",
            "delete_comment",
            "restore_comment",
            "flag_comment",
            "report_outcome",
            "read_outcome_notes",
            "suspend",
            "purge",
        }
    )
    assert named == known


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action"):
        can(ACTORS["admin"], "launch_rockets")


@pytest.mark.parametrize(
    "role, active",
    [
        ("anonymous", False),
        ("member", True),
        ("suspended member", False),
        ("member suspended until tomorrow", False),
        ("member whose suspension has expired", True),
        ("suspended moderator", False),
        ("suspended admin", False),
    ],
)
def test_an_account_is_active_unless_a_suspension_is_running(role, active):
    assert is_active(ACTORS[role]) is active


def test_a_suspension_ends_exactly_at_its_end_time():
    until = datetime(2030, 1, 1, tzinfo=UTC)
    user = person(1, "member", "suspended", until)
    assert is_active(user, now=until - timedelta(seconds=1)) is False
    assert is_active(user, now=until) is True
