"""The work of any query is bounded: brackets nest a few deep, the engine
reads a bounded number of words, and nothing typed expands into many terms. Checked as behaviour,
never by timing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.search import bounds, get_engine
from forum.search.bounds import bounded
from forum.search.query import MAX_DEPTH, MAX_TERMS, And, Or, ParsedQuery, Phrase, Term, parse
from tests.factories import make_contribution, make_prompt
from tests.search.helpers import assert_bad_query, found, search, search_url

NESTED_245 = "(" * 245 + "trust" + ")" * 245


def nested(depth: int, inner: str = "trust") -> str:
    return "(" * depth + inner + ")" * depth


def test_a_search_with_245_nested_brackets_answers_a_400_naming_the_problem(client, trust):
    assert_bad_query(client.get(search_url(NESTED_245)), f"at most {MAX_DEPTH} deep")


def test_a_search_with_245_nested_brackets_on_the_html_page_is_not_a_server_error(client, trust):
    response = client.get("/search", query_string={"q": NESTED_245})

    assert response.status_code in (200, 400)
    assert f"at most {MAX_DEPTH} deep" in response.get_data(as_text=True)


def test_brackets_nested_as_deep_as_allowed_still_search(client, trust):
    prompt, answer = trust

    assert ("contribution", answer.id) in found(client, nested(MAX_DEPTH, "trust OR rapport"))


def test_one_bracket_deeper_than_allowed_is_refused_by_the_parser():
    parse(nested(MAX_DEPTH))

    with pytest.raises(ValueError, match=f"at most {MAX_DEPTH} deep"):
        parse(nested(MAX_DEPTH + 1))


def test_bounded_keeps_the_first_words_in_reading_order():
    text = And((Term("a"), Phrase(("b", "c", "d")), Term("e")))

    assert bounded(text, 3) == And((Term("a"), Phrase(("b", "c"))))
    assert bounded(text, 1) == Term("a")
    assert bounded(text, 5) == text


def many_words(count: int) -> ParsedQuery:
    """An expression of `count` words that no parser would let through: "trust" first, then
    words no document holds."""
    words = ["trust"] * MAX_TERMS + [f"nowhere{chr(97 + n % 26)}word" for n in range(count)]
    return ParsedQuery(text=And(tuple(Term(w) for w in words)))


def test_the_engine_reads_at_most_the_first_words_of_an_expression(app, trust):
    prompt, answer = trust

    hits = get_engine().search(many_words(200), 50)

    assert f"c:{answer.id}" in {hit.key for hit in hits}


def test_a_quoted_phrase_longer_than_the_word_limit_is_cut_to_its_first_words(client, app):
    words = [f"step{chr(97 + n % 26)}{chr(97 + n // 26)}" for n in range(MAX_TERMS)]
    answer = make_contribution(body="Steps: " + " ".join(words) + ".")
    pasted = '"' + " ".join([*words, "neverwritten", "anywhere"]) + '"'

    assert ("contribution", answer.id) in found(client, pasted)


@pytest.mark.parametrize("q", ["trus*", "tru?t", "*rust", "t*"])
def test_a_wildcard_is_read_as_plain_text_and_expands_to_nothing(client, trust, q):
    assert found(client, q) == set()


def test_a_star_after_a_whole_word_finds_what_the_word_finds(client, trust):
    assert found(client, "trust*") == found(client, "trust") != set()


def test_forty_short_words_and_wildcards_answer(client, trust):
    body = search(client, " ".join(["tr*", "cl", "go?", "ki"] * 10))

    assert body["total"] == 0


@pytest.fixture
def wide(app, search_backend, monkeypatch):
    """Contributions for an OR of four common words and a rare one: "delta" is the most common,
    and one contribution holds nothing else."""
    monkeypatch.setattr(bounds, "OR_WORK_FLOOR", 0)  # a corpus this small is never too wide
    prompt = make_prompt(title="Wide")
    for _ in range(6):
        make_contribution(prompt=prompt, body="Alpha bravo charlie delta.")
    rare = make_contribution(prompt=prompt, body="An echo.")
    only_delta = make_contribution(prompt=prompt, body="Delta, and delta again.")
    if search_backend == "postgres":
        # What autovacuum does on a live server: the statistics the engine estimates from.
        db.session.execute(text("ANALYZE contribution_search"))
        db.session.commit()
    return rare, only_delta


def test_an_or_of_many_common_words_keeps_its_rarest_branches(client, wide):
    rare, only_delta = wide

    ids = {i for kind, i in found(client, "echo OR alpha OR bravo OR charlie OR delta")}

    assert rare.id in ids
    assert only_delta.id not in ids
    assert len(ids) == 7


def test_an_or_of_a_few_common_words_keeps_them_all(client, wide):
    rare, only_delta = wide

    ids = {i for kind, i in found(client, "echo OR charlie OR delta")}

    assert {rare.id, only_delta.id} <= ids


def test_a_wide_or_the_engine_cannot_estimate_keeps_its_first_branches():
    text = parse("able OR baker OR cable OR dable OR eable").text

    assert bounds.narrowed(text, lambda words: ({}, 0)) == Or(
        (Term("able"), Term("baker"), Term("cable"))
    )
