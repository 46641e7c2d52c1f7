"""The outcomes service: one report per member per contribution, counters that always equal the
rows (under parallel writers too), the split by setting in one query, notes kept private, and
recount repairing what went wrong."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update

from forum import create_app
from forum.extensions import db
from forum.models import Contribution, Outcome, User
from forum.models.outcome import RESULTS
from forum.ranking import outcome_success
from forum.services import moderation, outcomes
from forum.services.errors import Forbidden, Invalid, NotFound
from forum.services.recount import recount
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_contribution, make_moderator, make_user
from tests.helpers import statements_during


def _reread(contribution_id: int) -> Contribution:
    db.session.expire_all()
    return db.session.get(Contribution, contribution_id)


def _from_rows(contribution_id: int) -> tuple[int, int, int]:
    """(worked, partly, didnt) as the outcome rows say."""
    counts = dict(
        db.session.execute(
            select(Outcome.result, func.count())
            .where(Outcome.contribution_id == contribution_id)
            .group_by(Outcome.result)
        ).all()
    )
    return tuple(counts.get(result, 0) for result in RESULTS)


def _assert_counters_equal_rows(contribution_id: int) -> None:
    row = _reread(contribution_id)
    worked, partly, didnt = _from_rows(contribution_id)
    assert (row.outcome_worked, row.outcome_partly, row.outcome_didnt) == (worked, partly, didnt)
    assert row.outcome_count == worked + partly + didnt
    expected = outcome_success(worked, partly, didnt)
    assert row.success == (None if expected is None else pytest.approx(expected))


def test_report_change_and_withdraw_keep_the_counters_true(app):
    contribution, member = make_contribution(), make_user()

    reported = outcomes.report(member, contribution, "worked", "group", "  it helped ")
    assert (reported.outcome_worked, reported.outcome_count) == (1, 1)
    assert reported.success == pytest.approx(outcome_success(1, 0, 0))
    assert outcomes.mine(member, contribution.id).note == "it helped"

    outcomes.report(member, contribution, "didnt")
    row = _reread(contribution.id)
    assert (row.outcome_worked, row.outcome_didnt, row.outcome_count) == (0, 1, 1)
    assert outcomes.mine(member, contribution.id).setting is None
    _assert_counters_equal_rows(contribution.id)

    outcomes.withdraw(member, _reread(contribution.id))
    row = _reread(contribution.id)
    assert (row.outcome_count, row.success) == (0, None)
    assert outcomes.mine(member, contribution.id) is None


@pytest.mark.parametrize(
    ("result", "setting", "note", "field"),
    [
        ("perhaps", None, "", "result"),
        (None, None, "", "result"),
        (1, None, "", "result"),
        ("worked", "online", "", "setting"),
        ("worked", 2, "", "setting"),
        ("worked", None, 7, "note"),
        ("worked", None, "x" * 1001, "note"),
        ("worked", None, "a\x00b", "note"),
    ],
)
def test_bad_values_are_refused_naming_the_field(app, result, setting, note, field):
    contribution = make_contribution()
    with pytest.raises(Invalid) as refused:
        outcomes.report(make_user(), contribution, result, setting, note)
    assert set(refused.value.errors) == {field}
    assert _reread(contribution.id).outcome_count == 0


def test_an_empty_setting_and_no_note_are_none_and_empty(app):
    contribution, member = make_contribution(), make_user()
    outcomes.report(member, contribution, "partly", "", None)
    mine = outcomes.mine(member, contribution.id)
    assert (mine.result, mine.setting, mine.note) == ("partly", None, "")


def test_who_may_report(app):
    author = make_user()
    contribution = make_contribution(author=author)
    with pytest.raises(Forbidden, match="own"):
        outcomes.report(author, contribution, "worked")
    with pytest.raises(Forbidden):
        outcomes.report(make_user(suspended=True), contribution, "worked")
    with pytest.raises(Forbidden):
        outcomes.report(None, contribution, "worked")
    moderation.hide(make_moderator(), contribution, "spam")
    with pytest.raises(NotFound):
        outcomes.report(make_user(), contribution, "worked")
    with pytest.raises(NotFound):
        outcomes.withdraw(make_user(), contribution)
    assert _reread(contribution.id).outcome_count == 0


def test_by_setting_is_one_grouped_query_for_a_whole_page(app):
    first, second, untried = make_contribution(), make_contribution(), make_contribution()
    for result, setting in [("worked", "team"), ("didnt", "team"), ("partly", None)]:
        outcomes.report(make_user(), first, result, setting)
    outcomes.report(make_user(), second, "worked", "one_to_one")
    outcomes.report(make_user(), second, "partly", "other")
    ids = [first.id, second.id, untried.id]
    with statements_during() as statements:
        split = outcomes.by_setting(ids)

    assert len(statements) == 1
    assert split == {
        first.id: {"team": {"tried": 2, "worked": 1, "partly": 0, "didnt": 1}},
        second.id: {
            "one_to_one": {"tried": 1, "worked": 1, "partly": 0, "didnt": 0},
            "other": {"tried": 1, "worked": 0, "partly": 1, "didnt": 0},
        },
    }
    assert outcomes.by_setting([]) == {}
    summary = outcomes.summary(_reread(first.id))
    assert summary == {
        "tried": 3,
        "worked": 1,
        "partly": 1,
        "didnt": 1,
        "success": pytest.approx(outcome_success(1, 1, 1)),
        "by_setting": split[first.id],
    }
    assert outcomes.summary(_reread(untried.id))["success"] is None


def test_notes_are_read_by_the_author_and_moderators_only(app):
    author, reporter = make_user(), make_user()
    contribution = make_contribution(author=author)
    outcomes.report(reporter, contribution, "worked", "group", "private words")

    for reader in (author, make_moderator()):
        page = outcomes.notes_of(reader, contribution, 1, 20)
        assert page.total == 1
        (note,) = page.items
        assert (note.result, note.setting, note.note) == ("worked", "group", "private words")
        assert note.member["username"] == reporter.username
    for reader in (reporter, make_user(), make_moderator(suspended=True), None):
        with pytest.raises(Forbidden):
            outcomes.notes_of(reader, contribution, 1, 20)


# --- recount --------------------------------------------------------------------------------


def test_recount_repairs_tampered_outcome_counters(runner, app):
    tampered, untouched, claimed = make_contribution(), make_contribution(), make_contribution()
    for result in ("worked", "worked", "partly", "didnt"):
        outcomes.report(make_user(), tampered, result)
    outcomes.report(make_user(), untouched, "partly")
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == tampered.id)
        .values(outcome_worked=9, outcome_partly=0, outcome_count=1, success=0.99)
    )
    # Counters claiming reports that no row holds.
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == claimed.id)
        .values(outcome_didnt=3, outcome_count=3, success=0.0)
    )
    db.session.commit()

    result = runner.invoke(args=["recount"])

    assert result.exit_code == 0, result.output
    assert "Fixed the outcome counters of 2 contribution(s)." in result.output
    for contribution in (tampered, untouched, claimed):
        _assert_counters_equal_rows(contribution.id)
    assert _reread(tampered.id).outcome_count == 4
    assert (_reread(claimed.id).outcome_count, _reread(claimed.id).success) == (0, None)
    assert recount()["outcomes"] == 0


# --- parallel writers -----------------------------------------------------------------------

MEMBERS = 12


@pytest.fixture
def file_app(tmp_path, app):
    """An app on a database file (or the PostgreSQL schema) shared by threads."""
    if POSTGRES_URL:
        yield app
        return
    shared = create_app(
        base_config(
            DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}", SEARCH_PATH=str(tmp_path / "index")
        )
    )
    with shared.app_context():
        db.create_all()
        yield shared
        db.session.remove()
        db.engine.dispose()


def _writes(app, user_id: int, contribution_id: int, steps, barrier, errors: list) -> None:
    """One member's reports and withdrawals, in the thread's own app context and session."""
    try:
        with app.app_context():
            barrier.wait()
            for step in steps:
                user = db.session.get(User, user_id)
                contribution = db.session.get(Contribution, contribution_id)
                if step is None:
                    outcomes.withdraw(user, contribution)
                else:
                    outcomes.report(user, contribution, step[0], step[1], f"note {user_id}")
            db.session.remove()
    except Exception as error:  # noqa: BLE001 - reported to the main thread below
        errors.append(error)


def test_parallel_writers_leave_counters_equal_to_the_rows(file_app):
    contribution = make_contribution()
    members = [make_user().id for _ in range(MEMBERS)]
    plans = {}
    for n, member in enumerate(members):
        first = (RESULTS[n % 3], "group")
        last = (RESULTS[(n + 1) % 3], None if n % 2 else "team")
        # Every fourth member withdraws at the end; the rest change their report.
        plans[member] = [first, last, None] if n % 4 == 0 else [first, last]
    # Each member writes from two threads at once (a double submit), beside everyone else.
    threads, errors = [], []
    barrier = threading.Barrier(2 * MEMBERS)
    for member, steps in plans.items():
        for _copy in range(2):
            threads.append(
                threading.Thread(
                    target=_writes,
                    args=(file_app, member, contribution.id, steps, barrier, errors),
                )
            )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    _assert_counters_equal_rows(contribution.id)
    rows = dict(
        db.session.execute(
            select(Outcome.user_id, Outcome.result).where(
                Outcome.contribution_id == contribution.id
            )
        ).all()
    )
    # Those who only changed their report hold its last result, once each.
    for member, steps in plans.items():
        if steps[-1] is not None:
            assert rows[member] == steps[-1][0]
    assert len(rows) >= sum(1 for steps in plans.values() if steps[-1] is not None)
