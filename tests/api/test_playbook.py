"""The playbook API: a member saves a strategy to try with a reminder, changes the reminder,
removes it, and reads their playbook with their own outcome and each strategy's state."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import SavedStrategy
from forum.models.types import utcnow
from forum.services import moderation, outcomes, playbook
from forum.services.errors import Invalid
from tests.api import test_double_submits
from tests.api.helpers import (
    API,
    AUTHOR,
    BOOL,
    INT,
    OBJECT,
    STR,
    TIME,
    assert_error,
    assert_page,
    assert_shape,
    delete,
    get,
    nullable,
    ok,
    put,
)
from tests.factories import make_contribution, make_moderator, make_prompt, make_user, token_for

# Two threads on one database, as for ratings sent twice (a fixture, and its sender).
shared_app = test_double_submits.shared_app
send_twice_at_once = test_double_submits.send_twice_at_once

SAVED = {"saved": BOOL, "remind_at": TIME}
ITEM = {
    "contribution": OBJECT,
    "saved_at": TIME,
    "remind_at": TIME,
    "my_outcome": nullable(STR),
    "state": STR,
}
SUMMARY = {
    "id": INT,
    "prompt_id": INT,
    "title": STR,
    "url": nullable(STR),
    "author": nullable(OBJECT),
    "available": BOOL,
}


def save(client, contribution_id, user, body=None):
    return put(client, f"/contributions/{contribution_id}/save", body, user=user)


def playbook_items(client, user, query: str = "", **page) -> list[dict]:
    body = ok(get(client, f"/me/playbook{query}", user=user))
    return assert_page(body, _assert_item, **page)


def _assert_item(item: dict) -> None:
    assert_shape(item, ITEM)
    assert_shape(item["contribution"], SUMMARY)
    if item["contribution"]["author"] is not None:
        assert_shape(item["contribution"]["author"], AUTHOR)


def stored(user, contribution) -> SavedStrategy | None:
    db.session.expire_all()
    return db.session.scalar(
        select(SavedStrategy).where(
            SavedStrategy.user_id == user.id, SavedStrategy.contribution_id == contribution.id
        )
    )


def days_from_now(iso: str) -> float:
    return (datetime.fromisoformat(iso) - utcnow()) / timedelta(days=1)


# --- saving -----------------------------------------------------------------------------------


def test_saving_keeps_the_strategy_with_a_reminder_in_fourteen_days(client):
    strategy, member = make_contribution(), make_user()

    body = ok(save(client, strategy.id, member))

    assert_shape(body, SAVED)
    assert body["saved"] is True
    assert days_from_now(body["remind_at"]) == pytest.approx(14, abs=0.01)
    row = stored(member, strategy)
    assert row is not None and row.checkin_at is None
    assert row.remind_at - row.saved_at == pytest.approx(timedelta(days=14), abs=timedelta(1))


def test_saving_with_a_chosen_reminder_and_again_changes_only_the_reminder(client):
    strategy, member = make_contribution(), make_user()
    ok(save(client, strategy.id, member, {"remind_in_days": 3}))
    first = stored(member, strategy)
    first.checkin_at = utcnow()  # its check-in came already
    db.session.commit()
    saved_at = first.saved_at

    body = ok(save(client, strategy.id, member, {"remind_in_days": 30}))

    assert days_from_now(body["remind_at"]) == pytest.approx(30, abs=0.01)
    again = stored(member, strategy)
    assert again.saved_at == saved_at
    assert again.checkin_at is None  # re-armed: a new check-in comes on the new date
    assert db.session.scalar(select(func.count(SavedStrategy.id))) == 1


@pytest.mark.parametrize(
    "value", [0, 91, -3, "7", 7.5, True, [7], {"days": 7}], ids=lambda v: repr(v)
)
def test_a_reminder_that_is_not_a_whole_number_of_days_from_1_to_90_is_refused(client, value):
    strategy, member = make_contribution(), make_user()

    response = save(client, strategy.id, member, {"remind_in_days": value})

    assert_error(response, 422, "remind_in_days")
    assert stored(member, strategy) is None


def test_an_unknown_field_is_refused(client):
    strategy, member = make_contribution(), make_user()

    assert_error(save(client, strategy.id, member, {"remind_days": 7}), 422, "remind_days")


def test_the_service_refuses_a_bad_reminder_as_the_api_does():
    strategy, member = make_contribution(), make_user()

    for value in (0, 91, True, "7", 2.0):
        with pytest.raises(Invalid) as error:
            playbook.save(member, strategy, value)
        assert error.value.errors == {"remind_in_days": [playbook.REMIND_MESSAGE]}


def test_one_cannot_save_ones_own_contribution(client):
    author = make_user()
    strategy = make_contribution(author=author)

    assert_error(save(client, strategy.id, author), 403)
    assert stored(author, strategy) is None


def test_a_suspended_member_cannot_save(client):
    strategy, member = make_contribution(), make_user(suspended=True)

    assert_error(save(client, strategy.id, member), 403)
    assert stored(member, strategy) is None


def test_a_hidden_or_missing_contribution_cannot_be_saved(client):
    strategy, member = make_contribution(), make_user()
    moderation.hide(make_moderator(), strategy, "spam")

    assert_error(save(client, strategy.id, member), 404)
    assert_error(save(client, 999_999, member), 404)
    assert_error(save(client, 2**40, member), 404)
    # Even a moderator, who may read it, does not save a hidden contribution.
    assert_error(save(client, strategy.id, make_moderator()), 404)


def test_anonymous_callers_are_asked_to_sign_in(client):
    strategy = make_contribution()

    assert_error(put(client, f"/contributions/{strategy.id}/save", {}), 401)
    assert_error(delete(client, f"/contributions/{strategy.id}/save"), 401)
    assert_error(get(client, "/me/playbook"), 401)


def test_a_save_sent_twice_at_once_answers_200_twice_and_keeps_one_row(shared_app):
    strategy = make_contribution()
    statuses = []
    for days in range(1, 6):
        path = f"{API}/contributions/{strategy.id}/save"
        statuses += send_twice_at_once(
            shared_app, path, {"remind_in_days": days}, token_for(make_user())
        )

    assert statuses == [200] * 10
    db.session.expire_all()
    assert db.session.scalar(select(func.count(SavedStrategy.id))) == 5


# --- removing ---------------------------------------------------------------------------------


def test_removing_a_strategy_deletes_it_and_removing_again_is_harmless(client):
    strategy, member = make_contribution(), make_user()
    ok(save(client, strategy.id, member))

    first = delete(client, f"/contributions/{strategy.id}/save", user=member)
    second = delete(client, f"/contributions/{strategy.id}/save", user=member)

    assert (first.status_code, second.status_code) == (204, 204)
    assert stored(member, strategy) is None
    assert playbook_items(client, member) == []


def test_removing_leaves_other_members_saves_alone(client):
    strategy, member, other = make_contribution(), make_user(), make_user()
    ok(save(client, strategy.id, member))
    ok(save(client, strategy.id, other))

    assert delete(client, f"/contributions/{strategy.id}/save", user=member).status_code == 204

    assert stored(other, strategy) is not None


def test_a_strategy_hidden_since_it_was_saved_can_still_be_removed(client):
    strategy, member = make_contribution(), make_user()
    ok(save(client, strategy.id, member))
    moderation.hide(make_moderator(), strategy, "spam")

    assert delete(client, f"/contributions/{strategy.id}/save", user=member).status_code == 204

    assert stored(member, strategy) is None


def test_removing_what_one_cannot_see_and_never_saved_is_not_found(client):
    hidden, member = make_contribution(), make_user()
    moderation.hide(make_moderator(), hidden, "spam")

    assert_error(delete(client, f"/contributions/{hidden.id}/save", user=member), 404)
    assert_error(delete(client, "/contributions/999999/save", user=member), 404)


def test_a_suspended_member_reads_their_playbook_but_does_not_change_it(client):
    strategy, member = make_contribution(), make_user()
    ok(save(client, strategy.id, member))
    member.status, member.suspension_reason = "suspended", "test"
    db.session.commit()

    assert_error(delete(client, f"/contributions/{strategy.id}/save", user=member), 403)

    assert stored(member, strategy) is not None
    assert [item["contribution"]["id"] for item in playbook_items(client, member)] == [strategy.id]


# --- the playbook -----------------------------------------------------------------------------


def test_the_playbook_lists_saved_strategies_newest_first_with_what_a_page_needs(client):
    prompt = make_prompt(title="Running a calm retrospective")
    author = make_user(display_name="Tom Becker")
    older = make_contribution(prompt=prompt, author=author, body="Start with **appreciation**.")
    newer = make_contribution(prompt=prompt, body="Timebox the complaints.")
    member = make_user()
    ok(save(client, older.id, member))
    ok(save(client, newer.id, member, {"remind_in_days": 7}))
    ok(save(client, older.id, make_user()))  # someone else's playbook

    items = playbook_items(client, member)

    assert [item["contribution"]["id"] for item in items] == [newer.id, older.id]
    shown = items[1]
    assert shown["contribution"]["prompt_id"] == prompt.id
    assert shown["contribution"]["title"] == "Running a calm retrospective"
    assert shown["contribution"]["author"]["display_name"] == "Tom Becker"
    assert shown["contribution"]["url"].endswith(f"/contributions/{older.id}")
    assert shown["contribution"]["excerpt"] == "Start with appreciation."
    assert (shown["my_outcome"], shown["state"]) == (None, "to_try")
    assert days_from_now(items[0]["remind_at"]) == pytest.approx(7, abs=0.01)


def test_the_playbook_is_paged(client):
    member = make_user()
    prompt = make_prompt()
    made = [make_contribution(prompt=prompt) for _ in range(3)]
    for contribution in made:
        ok(save(client, contribution.id, member))

    body = ok(get(client, "/me/playbook?page=2&per_page=2", user=member))

    assert_page(body, _assert_item, page=2, per_page=2)
    assert body["total"] == 3
    assert [item["contribution"]["id"] for item in body["items"]] == [made[0].id]
    assert_error(get(client, "/me/playbook?per_page=101", user=member), 400, "per_page")


def test_each_strategy_says_whether_it_is_to_try_due_for_its_check_in_or_tried(client):
    prompt = make_prompt()
    to_try, due, tried = (make_contribution(prompt=prompt) for _ in range(3))
    member = make_user()
    for contribution in (to_try, due, tried):
        ok(save(client, contribution.id, member))
    passed = [stored(member, due), stored(member, tried)]
    for row in passed:
        row.remind_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    outcomes.report(member, tried, "partly")

    items = {item["contribution"]["id"]: item for item in playbook_items(client, member)}

    assert (items[to_try.id]["state"], items[to_try.id]["my_outcome"]) == ("to_try", None)
    assert (items[due.id]["state"], items[due.id]["my_outcome"]) == ("checkin_due", None)
    assert (items[tried.id]["state"], items[tried.id]["my_outcome"]) == ("tried", "partly")


def test_a_strategy_hidden_since_shows_as_unavailable_without_its_text(client):
    author = make_user(display_name="Hidden Harry")
    strategy = make_contribution(author=author, body="A secret recipe nobody may read now.")
    member = make_user()
    ok(save(client, strategy.id, member))
    moderation.hide(make_moderator(), strategy, "spam")

    response = get(client, "/me/playbook", user=member)
    (item,) = assert_page(ok(response), _assert_item)

    assert item["state"] == "unavailable"
    assert item["contribution"]["available"] is False
    assert item["contribution"]["id"] == strategy.id
    assert item["contribution"]["url"] is None
    assert item["contribution"]["author"] is None
    assert item["contribution"]["excerpt"] is None
    text = response.get_data(as_text=True)
    assert "secret recipe" not in text and "Hidden Harry" not in text


def test_a_strategy_deleted_by_its_author_shows_as_unavailable(client):
    author = make_user()
    strategy = make_contribution(author=author)
    member = make_user()
    ok(save(client, strategy.id, member))
    assert delete(client, f"/contributions/{strategy.id}", user=author).status_code == 204

    (item,) = playbook_items(client, member)

    assert item["state"] == "unavailable"


# --- the export and the OpenAPI document ------------------------------------------------------


def test_the_openapi_document_describes_the_playbook(client):
    spec = ok(client.get("/api/v1/openapi.json"))
    paths = spec["paths"]

    save_path = paths["/api/v1/contributions/{contribution_id}/save"]
    assert set(save_path) >= {"put", "delete"}
    assert "200" in save_path["put"]["responses"] and "204" in save_path["delete"]["responses"]
    assert "422" in save_path["put"]["responses"]
    listing = paths["/api/v1/me/playbook"]["get"]
    assert "200" in listing["responses"]
    schemas = spec["components"]["schemas"]
    item = schemas["PlaybookItem"]["properties"]
    assert {"contribution", "saved_at", "remind_at", "my_outcome", "state"} <= set(item)
    remind = schemas["SaveIn"]["properties"]["remind_in_days"]
    assert (remind["minimum"], remind["maximum"]) == (1, 90)


def test_the_export_holds_the_members_saved_strategies(client):
    strategy, member = make_contribution(), make_user()
    body = ok(save(client, strategy.id, member, {"remind_in_days": 5}))

    export = ok(get(client, "/me/export", user=member))

    (kept,) = export["saved_strategies"]
    assert kept["contribution_id"] == strategy.id
    assert kept["remind_at"] == body["remind_at"]
    assert_shape(kept, {"contribution_id": INT, "saved_at": TIME, "remind_at": TIME})
    assert ok(get(client, "/me/export", user=make_user()))["saved_strategies"] == []
