"""Outcomes, "I tried it": PUT and DELETE /api/v1/contributions/{id}/outcome, the outcomes every
contribution carries, the notes its author and moderators read, the author's notification."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Contribution, Notification, Outcome
from forum.models.outcome import NOTE_MAX
from forum.ranking import outcome_success
from forum.services import following, moderation
from forum.services.delivery import deliver_all
from tests.api.helpers import (
    INT,
    NUMBER,
    OBJECT,
    STR,
    TIME,
    assert_contribution,
    assert_error,
    assert_page,
    assert_shape,
    delete,
    get,
    nullable,
    ok,
    put,
    refusals,
    refused,
)
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_user,
    rate_many,
)
from tests.helpers import fresh

NUMBER_OR_NULL = nullable(NUMBER)
OUTCOMES = {
    "tried": INT,
    "worked": INT,
    "partly": INT,
    "didnt": INT,
    "success": NUMBER_OR_NULL,
    "by_setting": OBJECT,
}
MY_OUTCOME = {"result": STR, "setting": nullable(STR), "note": STR, "updated_at": TIME}
NOTE = {"result": STR, "setting": nullable(STR), "note": STR, "member": OBJECT, "updated_at": TIME}
SECRET = "Only my coach should read this"


def report(client, contribution_id: int, user, **body):
    return put(client, f"/contributions/{contribution_id}/outcome", body, user=user)


def withdraw(client, contribution_id: int, user):
    return delete(client, f"/contributions/{contribution_id}/outcome", user=user)


def counters(contribution_id: int) -> tuple:
    row = fresh(Contribution, contribution_id)
    return (
        row.outcome_worked,
        row.outcome_partly,
        row.outcome_didnt,
        row.outcome_count,
        row.success,
    )


def stored(contribution_id: int) -> list[tuple]:
    db.session.expire_all()
    return sorted(
        db.session.execute(
            select(Outcome.user_id, Outcome.result, Outcome.setting, Outcome.note).where(
                Outcome.contribution_id == contribution_id
            )
        ).all()
    )


def assert_outcomes(block: dict) -> None:
    assert_shape(block, OUTCOMES)
    assert block["tried"] == block["worked"] + block["partly"] + block["didnt"]
    for counts in block["by_setting"].values():
        assert_shape(counts, {"tried": INT, "worked": INT, "partly": INT, "didnt": INT})


# --- reporting, changing, withdrawing --------------------------------------------------------


def test_a_first_report_answers_the_summary_with_the_members_own_report(client):
    made, member = make_contribution(), make_user()

    body = ok(report(client, made.id, member, result="worked", setting="group", note=f" {SECRET} "))

    assert_outcomes(body)
    assert_shape(body["my_outcome"], MY_OUTCOME)
    assert (body["tried"], body["worked"], body["partly"], body["didnt"]) == (1, 1, 0, 0)
    assert body["success"] == pytest.approx(outcome_success(1, 0, 0), abs=1e-4)
    assert body["by_setting"] == {"group": {"tried": 1, "worked": 1, "partly": 0, "didnt": 0}}
    mine = body["my_outcome"]
    assert (mine["result"], mine["setting"], mine["note"]) == ("worked", "group", SECRET)
    assert counters(made.id) == (1, 0, 0, 1, pytest.approx(outcome_success(1, 0, 0)))
    assert stored(made.id) == [(member.id, "worked", "group", SECRET)]


def test_changing_a_report_moves_it_between_counters_without_counting_twice(client):
    made, member, other = make_contribution(), make_user(), make_user()
    ok(report(client, made.id, other, result="worked"))
    ok(report(client, made.id, member, result="worked", setting="team", note="first"))

    body = ok(report(client, made.id, member, result="didnt", note="second"))

    assert (body["tried"], body["worked"], body["partly"], body["didnt"]) == (2, 1, 0, 1)
    assert body["my_outcome"]["result"] == "didnt"
    assert body["my_outcome"]["setting"] is None
    assert body["by_setting"] == {}
    assert counters(made.id) == (1, 0, 1, 2, pytest.approx(outcome_success(1, 0, 1)))
    assert stored(made.id) == sorted(
        [(other.id, "worked", None, ""), (member.id, "didnt", None, "second")]
    )


def test_the_same_result_with_a_new_note_moves_no_counter(client):
    made, member = make_contribution(), make_user()
    ok(report(client, made.id, member, result="partly"))

    body = ok(report(client, made.id, member, result="partly", setting="one_to_one", note="n"))

    assert (body["tried"], body["partly"]) == (1, 1)
    assert counters(made.id) == (0, 1, 0, 1, pytest.approx(outcome_success(0, 1, 0)))
    assert stored(made.id) == [(member.id, "partly", "one_to_one", "n")]


def test_withdrawing_a_report_puts_the_counters_back(client):
    made, member = make_contribution(), make_user()
    ok(report(client, made.id, member, result="partly", setting="group"))

    response = withdraw(client, made.id, member)

    assert response.status_code == 204 and response.data == b""
    assert counters(made.id) == (0, 0, 0, 0, None)
    assert stored(made.id) == []
    shown = ok(get(client, f"/contributions/{made.id}", user=member))
    assert shown["my_outcome"] is None
    assert shown["outcomes"] == {
        "tried": 0,
        "worked": 0,
        "partly": 0,
        "didnt": 0,
        "success": None,
        "by_setting": {},
    }


def test_withdrawing_a_report_that_does_not_exist_changes_nothing(client):
    made = make_contribution()
    ok(report(client, made.id, make_user(), result="worked"))
    assert withdraw(client, made.id, make_user()).status_code == 204
    assert counters(made.id)[:4] == (1, 0, 0, 1)


# --- who may --------------------------------------------------------------------------------


def test_nobody_reports_on_their_own_contribution(client):
    author = make_user()
    made = make_contribution(author=author)
    assert_error(report(client, made.id, author, result="worked"), 403)
    assert_error(withdraw(client, made.id, author), 403)
    assert stored(made.id) == []


def test_a_report_needs_a_signed_in_active_member(client):
    made = make_contribution()
    assert_error(put(client, f"/contributions/{made.id}/outcome", {"result": "worked"}), 401)
    assert_error(delete(client, f"/contributions/{made.id}/outcome"), 401)
    suspended = make_user(suspended=True)
    assert_error(report(client, made.id, suspended, result="worked"), 403)
    assert_error(withdraw(client, made.id, suspended), 403)
    assert stored(made.id) == []


def test_a_hidden_or_unknown_contribution_is_a_404(client):
    made, member = make_contribution(), make_user()
    ok(report(client, made.id, member, result="worked"))
    moderation.hide(make_moderator(), made, "spam")

    assert_error(report(client, made.id, make_user(), result="worked"), 404)
    assert_error(withdraw(client, made.id, member), 404)
    assert_error(report(client, 424242, member, result="worked"), 404)
    assert_error(withdraw(client, 424242, member), 404)
    assert len(stored(made.id)) == 1


def test_bad_fields_are_refused_with_422_naming_them(client):
    made, member = make_contribution(), make_user()
    cases = {
        "no result": ({}, "result"),
        "unknown result": ({"result": "maybe"}, "result"),
        "result not text": ({"result": 1}, "result"),
        "unknown setting": ({"result": "worked", "setting": "online"}, "setting"),
        "setting not text": ({"result": "worked", "setting": 3}, "setting"),
        "note too long": ({"result": "worked", "note": "x" * (NOTE_MAX + 1)}, "note"),
        "note not text": ({"result": "worked", "note": ["x"]}, "note"),
        "unknown field": ({"result": "worked", "score": 5}, "score"),
    }

    seen = refusals(lambda case: report(client, made.id, member, **case[0]), cases)

    assert seen == refused(cases)
    assert stored(made.id) == []


def test_a_note_of_the_longest_length_is_kept_without_its_surrounding_spaces(client):
    made, member = make_contribution(), make_user()
    note = "y" * NOTE_MAX
    body = ok(report(client, made.id, member, result="worked", setting=None, note=f"  {note}\n"))
    assert body["my_outcome"]["note"] == note


# --- the outcomes every contribution carries ------------------------------------------------


def test_every_contribution_carries_its_outcomes_and_the_readers_own(client):
    prompt = make_prompt()
    tried, untried = make_contribution(prompt=prompt), make_contribution(prompt=prompt)
    rate_many(tried, [5])
    rate_many(untried, [4])
    member = make_user()
    ok(report(client, tried.id, member, result="partly", setting="one_to_one", note=SECRET))
    ok(report(client, tried.id, make_user(), result="worked", setting="one_to_one"))
    ok(report(client, tried.id, make_user(), result="didnt", setting="team"))
    ok(report(client, tried.id, make_user(), result="worked"))
    expected = {
        "tried": 4,
        "worked": 2,
        "partly": 1,
        "didnt": 1,
        "success": pytest.approx(outcome_success(2, 1, 1), abs=1e-4),
        "by_setting": {
            "one_to_one": {"tried": 2, "worked": 1, "partly": 1, "didnt": 0},
            "team": {"tried": 1, "worked": 0, "partly": 0, "didnt": 1},
        },
    }

    for reader, mine in ((None, None), (member, "partly"), (make_user(), None)):
        single = get(client, f"/contributions/{tried.id}", user=reader)
        listed = get(client, f"/prompts/{prompt.id}/contributions", user=reader)
        strategies = get(client, "/strategies", user=reader)
        for response in (single, listed, strategies):
            assert SECRET not in response.get_data(as_text=True)
        items = {item["id"]: item for item in ok(listed)["items"]}
        items_across = {item["id"]: item for item in ok(strategies)["items"]}
        for item in (ok(single), items[tried.id], items_across[tried.id]):
            assert_contribution(item)
            assert_outcomes(item["outcomes"])
            assert item["outcomes"] == expected
            assert item["my_outcome"] == mine
        for item in (items[untried.id], items_across[untried.id]):
            assert item["outcomes"]["tried"] == 0 and item["outcomes"]["success"] is None
            assert item["my_outcome"] is None


def test_a_report_moves_the_cached_listing_of_its_prompt(client):
    prompt = make_prompt()
    made = make_contribution(prompt=prompt)
    before = ok(get(client, f"/prompts/{prompt.id}/contributions"))["items"][0]["outcomes"]
    ok(report(client, made.id, make_user(), result="worked"))
    after = ok(get(client, f"/prompts/{prompt.id}/contributions"))["items"][0]["outcomes"]
    assert (before["tried"], after["tried"]) == (0, 1)


# --- notes: the author and moderators only --------------------------------------------------


def test_notes_are_read_by_the_author_and_moderators_only(client):
    author = make_user()
    made = make_contribution(author=author)
    reporter = make_user(display_name="Ana")
    ok(report(client, made.id, reporter, result="worked", setting="group", note=SECRET))
    ok(report(client, made.id, make_user(), result="didnt"))

    for reader in (author, make_moderator()):
        items = assert_page(
            ok(get(client, f"/contributions/{made.id}/outcomes", user=reader)),
            lambda item: assert_shape(item, NOTE),
        )
        assert [item["result"] for item in items] == ["didnt", "worked"]  # newest first
        ana = items[1]
        assert (ana["note"], ana["setting"]) == (SECRET, "group")
        assert ana["member"] == {"username": reporter.username, "display_name": "Ana"}

    assert_error(get(client, f"/contributions/{made.id}/outcomes", user=reporter), 403)
    assert_error(get(client, f"/contributions/{made.id}/outcomes", user=make_user()), 403)
    assert_error(get(client, f"/contributions/{made.id}/outcomes"), 401)
    assert_error(get(client, "/contributions/424242/outcomes", user=author), 404)


def test_notes_are_paged(client):
    author = make_user()
    made = make_contribution(author=author)
    for result in ("worked", "partly", "didnt"):
        ok(report(client, made.id, make_user(), result=result))
    body = ok(get(client, f"/contributions/{made.id}/outcomes?per_page=2&page=2", user=author))
    assert (body["total"], len(body["items"]), body["page"]) == (3, 1, 2)
    assert_error(get(client, f"/contributions/{made.id}/outcomes?per_page=0", user=author), 400)


# --- the author's notification --------------------------------------------------------------


def outcome_notifications(client, user) -> list[dict]:
    deliver_all()
    body = ok(get(client, "/notifications", user=user))
    return [item for item in body["items"] if item["kind"] == "outcome"]


def test_the_author_hears_of_a_first_report_once_with_what_happened(client):
    author = make_user()
    prompt = make_prompt(title="How do you keep volunteers?")
    made = make_contribution(prompt=prompt, author=author)
    reporter = make_user(display_name="Ana")
    following.follow(reporter, "prompt", prompt.id)

    ok(report(client, made.id, reporter, result="worked"))
    ok(report(client, made.id, reporter, result="didnt", note="changed my mind"))
    assert withdraw(client, made.id, reporter).status_code == 204
    ok(report(client, made.id, reporter, result="partly"))

    (heard,) = outcome_notifications(client, author)
    assert heard["text"] == "Ana tried your strategy on “How do you keep volunteers?”: it worked"
    assert heard["contribution_id"] == made.id
    assert heard["actor"] == {"username": reporter.username, "display_name": "Ana"}
    assert outcome_notifications(client, reporter) == []


def test_each_member_trying_it_tells_the_author(client):
    author = make_user()
    made = make_contribution(author=author)
    ok(report(client, made.id, make_user(), result="partly"))
    ok(report(client, made.id, make_user(), result="didnt"))
    texts = [item["text"] for item in outcome_notifications(client, author)]
    assert [text.rsplit(": ", 1)[1] for text in texts] == ["it didn't work", "it partly worked"]


@pytest.mark.parametrize("muted", ["contribution", "prompt", "user"])
def test_an_author_who_muted_the_contribution_its_prompt_or_the_member_hears_nothing(client, muted):
    author, reporter = make_user(), make_user()
    made = make_contribution(author=author)
    target = {"contribution": made.id, "prompt": made.prompt_id, "user": reporter.username}
    following.follow(author, muted, target[muted], level="muted")
    ok(report(client, made.id, reporter, result="worked"))
    assert outcome_notifications(client, author) == []
    heard = select(func.count()).where(Notification.user_id == author.id)
    assert db.session.scalar(heard) == 0


def test_the_notification_disappears_while_the_contribution_is_hidden(client):
    author = make_user()
    made = make_contribution(author=author)
    ok(report(client, made.id, make_user(), result="worked"))
    assert len(outcome_notifications(client, author)) == 1
    moderator = make_moderator()

    moderation.hide(moderator, fresh(Contribution, made.id), "spam")
    assert outcome_notifications(client, author) == []

    moderation.restore(moderator, fresh(Contribution, made.id))
    assert len(outcome_notifications(client, author)) == 1


# --- the export and the OpenAPI document ----------------------------------------------------


def test_the_export_holds_the_members_outcomes_with_their_notes(client):
    made, member = make_contribution(), make_user()
    ok(report(client, made.id, member, result="partly", setting="team", note=SECRET))
    ok(report(client, make_contribution().id, make_user(), result="worked"))

    exported = ok(get(client, "/me/export", user=member))["outcomes"]

    assert len(exported) == 1
    assert_shape(
        exported[0],
        {
            "contribution_id": INT,
            "result": STR,
            "setting": nullable(STR),
            "note": STR,
            "created_at": TIME,
            "updated_at": TIME,
        },
    )
    assert (exported[0]["contribution_id"], exported[0]["result"]) == (made.id, "partly")
    assert (exported[0]["setting"], exported[0]["note"]) == ("team", SECRET)


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_openapi_document_describes_outcomes(client):
    spec = ok(client.get("/api/v1/openapi.json"))
    paths = spec["paths"]
    single = "/api/v1/contributions/{contribution_id}"

    put_op = paths[f"{single}/outcome"]["put"]
    body = _resolve(spec, put_op["requestBody"]["content"]["application/json"]["schema"])
    assert body["required"] == ["result"]
    assert body["properties"]["result"]["enum"] == ["worked", "partly", "didnt"]
    assert set(body["properties"]) == {"result", "setting", "note"}
    answer = _resolve(spec, put_op["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(answer["properties"]) == {*OUTCOMES, "my_outcome"}
    assert set(paths[f"{single}/outcome"]) >= {"put", "delete"}
    assert "204" in paths[f"{single}/outcome"]["delete"]["responses"]

    notes = paths[f"{single}/outcomes"]["get"]["responses"]["200"]["content"]
    page = _resolve(spec, notes["application/json"]["schema"])
    item = _resolve(spec, page["properties"]["items"]["items"])
    assert set(item["properties"]) == set(NOTE)

    contribution = _resolve(
        spec, paths[single]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    )
    outcomes = _resolve(spec, contribution["properties"]["outcomes"])
    assert set(outcomes["properties"]) == set(OUTCOMES)
    assert "note" not in outcomes["properties"]
    assert contribution["properties"]["my_outcome"]["enum"][:3] == ["worked", "partly", "didnt"]
