"""The command line: users create|set-role, seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Contribution, ModerationAction, Prompt, Rating, User
from forum.services import accounts


def test_users_create_makes_the_first_admin(runner):
    result = runner.invoke(
        args=["users", "create", "Founder", "--email", "f@example.org", "--password",
              "long enough password", "--role", "admin"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created founder (admin)." in result.output
    user = accounts.authenticate("founder", "long enough password")
    assert user is not None and user.role == "admin"


def test_users_create_asks_for_the_password_when_not_given(runner):
    result = runner.invoke(
        args=["users", "create", "coach", "--email", "c@example.org"],
        input="a secret pass\na secret pass\n",
    )
    assert result.exit_code == 0, result.output
    assert accounts.authenticate("coach", "a secret pass") is not None


def test_users_create_explains_what_is_wrong(runner):
    result = runner.invoke(args=["users", "create", "x", "--email", "nope", "--password", "short"])
    assert result.exit_code != 0
    assert "username" in result.output and "email" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_set_role_changes_the_role_and_logs_it(runner):
    runner.invoke(args=["users", "create", "maria", "--email", "m@e.org", "--password", "x" * 12])
    result = runner.invoke(args=["users", "set-role", "maria", "moderator"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert accounts.get_user("maria").role == "moderator"
    entry = db.session.scalar(select(ModerationAction))
    assert (entry.action, entry.actor_name, entry.reason) == (
        "set_role",
        "command line",
        "member -> moderator",
    )


def test_users_set_role_of_an_unknown_member_fails_cleanly(runner):
    result = runner.invoke(args=["users", "set-role", "ghost", "admin"])
    assert result.exit_code != 0
    assert "No such member" in result.output


def _counts():
    return [
        db.session.scalar(select(func.count(model.id)))
        for model in (User, Prompt, Contribution, Rating)
    ]


def test_seed_demo_creates_a_community_and_a_second_run_changes_nothing(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "created" in first.output
    after_first = _counts()
    assert all(after_first)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "already present" in second.output
    assert _counts() == after_first
