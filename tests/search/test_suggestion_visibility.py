""" "Did you mean" suggests only words that visible content holds: never a word of a hidden or
deleted contribution, nor one an edit took out; `search check` names a suggestion word list
that holds words no visible content holds."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.search import get_engine, maintenance
from forum.search.whoosh import schema as whoosh_schema
from forum.search.whoosh.fields import SpelledText
from forum.services import contributions, moderation
from tests.factories import make_contribution, make_moderator, make_prompt
from tests.search.helpers import found, search

SECRET, NEAR_MISS = "zebrafishsecret", "zebrafishsecre"
CURRENT_SCHEMA = whoosh_schema.make_schema


@pytest.fixture
def secret(app):
    """A visible contribution, and another holding a word nothing else holds."""
    prompt = make_prompt(title="Unusual techniques")
    make_contribution(prompt=prompt, body="The zebra technique, told openly.")
    holder = make_contribution(prompt=prompt, body=f"Ask about the {SECRET} technique.")
    return holder


def suggestion(client, q: str = NEAR_MISS):
    return search(client, q)["suggestion"]


def test_a_word_of_visible_content_is_suggested(client, secret):
    assert suggestion(client) == SECRET


def test_a_hidden_contributions_words_are_not_suggested(client, secret):
    moderation.hide(make_moderator(), secret, "spam")

    assert suggestion(client) is None


def test_a_deleted_contributions_words_are_not_suggested(client, secret):
    contributions.delete_contribution(secret.author, secret)

    assert suggestion(client) is None


def test_a_word_an_edit_took_out_is_not_suggested(client, secret):
    contributions.edit_contribution(secret.author, secret, "Ask about the technique.")

    assert suggestion(client) is None


def test_a_restored_contributions_words_are_suggested_again(client, secret):
    moderator = make_moderator()
    moderation.hide(moderator, secret, "spam")

    moderation.restore(moderator, secret)

    assert suggestion(client) == SECRET


def test_a_word_another_visible_contribution_still_holds_stays_suggested(client, secret):
    make_contribution(prompt=secret.prompt, body=f"The {SECRET} technique again.")

    moderation.hide(make_moderator(), secret, "spam")

    assert suggestion(client) == SECRET


@pytest.mark.whoosh_only
def test_a_phone_number_of_a_deleted_contribution_is_not_suggested(client, app):
    answer = make_contribution(body="Call me on 0612345678 after six.")
    assert suggestion(client, "0612345679") == "0612345678"

    contributions.delete_contribution(answer.author, answer)

    assert suggestion(client, "0612345679") is None


def run_check(runner) -> tuple[int, str]:
    result = runner.invoke(args=["search", "check"])
    return result.exit_code, result.output


@pytest.mark.whoosh_only
def test_check_passes_when_suggestion_words_are_those_of_visible_content(runner, secret):
    moderation.hide(make_moderator(), secret, "spam")

    code, output = run_check(runner)

    assert code == 0, output
    assert "suggestion words no visible content holds: 0" in output
    assert maintenance.check().facts["stale_words"] == 0


@pytest.mark.whoosh_only
def test_check_reports_suggestion_words_no_visible_content_holds(client, runner, secret):
    # Behind the outbox's back: the index keeps the old text and its words.
    db.session.execute(
        text("UPDATE contributions SET body_html = '<p>Ask about it.</p>' WHERE id = :id"),
        {"id": secret.id},
    )
    db.session.commit()

    code, output = run_check(runner)

    assert code == 1
    assert "suggestion words no visible content holds: 1" in output
    assert SECRET not in output  # what removed text said is not printed
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert run_check(runner)[0] == 0
    assert suggestion(client) is None


@pytest.mark.whoosh_only
def test_check_reports_an_index_without_its_suggestion_word_list(client, runner, secret):
    get_engine().words().path.unlink()

    code, output = run_check(runner)

    assert code == 1
    assert "no suggestion word list" in output
    assert suggestion(client) is None
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert run_check(runner)[0] == 0
    assert suggestion(client) == SECRET


def former_schema():
    """The schema indexes were written with before the word list: spelling fields."""
    fields = CURRENT_SCHEMA()
    analyzer = fields["body"].analyzer
    fields.remove("title")
    fields.remove("body")
    fields.add("title", SpelledText(analyzer=analyzer, stored=True, spelling=True))
    fields.add("body", SpelledText(analyzer=analyzer, stored=True, spelling=True))
    return fields


@pytest.mark.whoosh_only
def test_an_index_written_before_the_word_list_still_searches(
    app, client, runner, secret, monkeypatch
):
    secret_id = secret.id
    with monkeypatch.context() as patched:
        patched.setattr(whoosh_schema, "make_schema", former_schema)
        get_engine().rebuild()
    get_engine().words().path.unlink()
    app.extensions.pop("search_engine").close()  # a worker started afresh opens it

    assert ("contribution", secret_id) in found(client, "technique")
    assert suggestion(client) is None
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert suggestion(client) == SECRET
