"""`flask --app forum recount` repairs every stored counter from the source rows."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from forum.extensions import db
from forum.models import Contribution, Prompt
from forum.ranking import usefulness_score, wilson_lower_bound
from forum.services import prompts
from tests.factories import make_contribution, make_prompt, make_user, rate_many


@pytest.fixture
def rated(app):
    prompt = make_prompt()
    first = make_contribution(prompt=prompt)
    second = make_contribution(prompt=prompt)
    rate_many(first, [5, 5, 4, 2])
    rate_many(second, [3])
    prompts.rate_prompt(make_user(), prompt, True)
    prompts.rate_prompt(make_user(), prompt, False)
    return prompt.id, first.id, second.id


def _corrupt(prompt_id: int, contribution_id: int) -> None:
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution_id)
        .values(n1=7, n5=0, rating_count=99, rating_sum=1, score=4.9)
    )
    db.session.execute(
        update(Prompt)
        .where(Prompt.id == prompt_id)
        .values(contribution_count=42, helpful_yes=0, helpful_no=9, helpful_score=0.9)
    )
    db.session.commit()


def test_recount_command_repairs_corrupted_counters(runner, rated):
    prompt_id, first_id, second_id = rated
    _corrupt(prompt_id, first_id)

    result = runner.invoke(args=["recount"])

    assert result.exit_code == 0, result.output
    assert "Fixed 1 contribution(s) and 1 prompt(s)." in result.output
    db.session.expire_all()
    first = db.session.get(Contribution, first_id)
    assert first.histogram == [0, 1, 0, 1, 2]
    assert (first.rating_count, first.rating_sum) == (4, 16)
    assert first.score == pytest.approx(usefulness_score((0, 1, 0, 1, 2)))
    prompt = db.session.get(Prompt, prompt_id)
    assert (prompt.contribution_count, prompt.helpful_yes, prompt.helpful_no) == (2, 1, 1)
    assert prompt.helpful_score == pytest.approx(wilson_lower_bound(1, 1))
    assert db.session.get(Contribution, second_id).histogram == [0, 0, 1, 0, 0]


def test_recount_changes_nothing_when_counters_are_true(runner, rated):
    result = runner.invoke(args=["recount"])
    assert result.exit_code == 0
    assert "Fixed 0 contribution(s) and 0 prompt(s)." in result.output


def test_recount_ignores_hidden_contributions_in_the_prompt_count(runner, rated):
    prompt_id, first_id, _ = rated
    from forum.services import moderation
    from tests.factories import make_moderator

    moderation.hide(make_moderator(), db.session.get(Contribution, first_id), "off topic")
    result = runner.invoke(args=["recount"])
    assert "Fixed 0 contribution(s) and 0 prompt(s)." in result.output
    db.session.expire_all()
    assert db.session.get(Prompt, prompt_id).contribution_count == 1
