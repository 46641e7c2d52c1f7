"""The forum always keeps an admin: the last active admin cannot give up the role (409), neither
over the API nor on the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from forum.extensions import db
from forum.models import User
from tests.api.helpers import assert_error, ok, patch
from tests.factories import make_admin, make_user
from tests.helpers import fresh


def demote(client, actor, username: str, role: str = "member"):
    return patch(client, f"/users/{username}", {"role": role}, user=actor)


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_the_only_admin_cannot_demote_themself(client, role):
    boss = make_admin(username="boss")

    body = assert_error(demote(client, boss, "boss", role), 409)

    assert "admin" in body["message"]
    assert fresh(User, boss.id).role == "admin"


def test_an_admin_steps_down_while_another_active_admin_remains(client):
    boss = make_admin(username="boss")
    make_admin(username="deputy")

    assert ok(demote(client, boss, "boss"))["role"] == "member"
    assert fresh(User, boss.id).role == "member"


def test_a_suspended_admin_does_not_count_as_the_admin_who_remains(client):
    boss = make_admin(username="boss")
    make_admin(username="deputy", suspended=True)

    assert_error(demote(client, boss, "boss"), 409)
    assert fresh(User, boss.id).role == "admin"


def test_an_admin_whose_suspension_has_ended_counts_as_the_admin_who_remains(client):
    boss = make_admin(username="boss")
    deputy = make_admin(username="deputy", suspended=True)
    deputy.suspended_until = datetime.now(UTC) - timedelta(days=1)
    db.session.commit()

    assert ok(demote(client, boss, "boss"))["role"] == "member"


def test_one_admin_demotes_another_when_both_are_active(client):
    boss = make_admin(username="boss")
    deputy = make_admin(username="deputy")

    assert ok(demote(client, boss, "deputy", "moderator"))["role"] == "moderator"
    assert fresh(User, deputy.id).role == "moderator"


def test_the_command_line_cannot_demote_the_last_active_admin(runner):
    boss = make_admin(username="boss")
    make_user(username="ana")

    result = runner.invoke(args=["users", "set-role", "boss", "member"])

    assert result.exit_code != 0
    assert "admin" in result.output
    assert fresh(User, boss.id).role == "admin"


def test_the_command_line_demotes_an_admin_when_another_active_admin_remains(runner):
    boss = make_admin(username="boss")
    make_admin(username="deputy")

    result = runner.invoke(args=["users", "set-role", "boss", "member"])

    assert result.exit_code == 0, result.output
    assert fresh(User, boss.id).role == "member"
