"""The work of any query is bounded: brackets nest a few deep (deeper ones are flattened), the
engine reads a bounded number of words (a long query its most telling ones), the parser a bounded
number of characters, and nothing typed expands into many terms. Checked as behaviour, never by
timing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.search import bounds, get_engine
from forum.search.bounds import bounded
from forum.search.query import (
    MAX_DEPTH,
    MAX_QUERY,
    MAX_TERMS,
    And,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Term,
    parse,
    words_of,
)
from forum.services.search import LONG_QUERY
from tests.factories import make_contribution, make_prompt
from tests.search.helpers import found, search

NESTED_245 = "(" * 245 + "trust" + ")" * 245


def nested(depth: int, inner: str = "trust") -> str:
    return "(" * depth + inner + ")" * depth


def test_a_search_with_245_nested_brackets_reads_them_flattened(client, trust):
    assert found(client, NESTED_245) == found(client, "trust") != set()


def test_a_search_with_245_nested_brackets_on_the_html_page_finds_the_word(client, trust):
    _, answer = trust

    response = client.get("/search", query_string={"q": NESTED_245})

    assert response.status_code == 200
    assert f"/contributions/{answer.id}" in response.get_data(as_text=True)


def test_brackets_nested_as_deep_as_allowed_still_search(client, trust):
    prompt, answer = trust

    assert ("contribution", answer.id) in found(client, nested(MAX_DEPTH, "trust OR rapport"))


def depth(node) -> int:
    if isinstance(node, And | Or):
        return 1 + max(depth(child) for child in node.nodes)
    return 1 + depth(node.node) if isinstance(node, Not) else 0


@pytest.mark.parametrize(
    "q",
    [nested(MAX_DEPTH + 1, "a OR b"), nested(245, "a (b OR c)"), "(a OR (b " * 300,
     ")(" * 500 + "a", "(a OR b) " * 200],
)  # fmt: skip
def test_brackets_deeper_than_allowed_are_flattened_by_the_parser(q):
    # Each bracket holds at most an OR of ANDs: two levels of the tree per bracket.
    assert depth(parse(q).text) <= 2 * MAX_DEPTH + 2


def test_a_text_of_many_thousand_characters_is_cut_to_the_parser_cap():
    parsed = parse("word " * 10_000)

    assert len(parsed.words()) <= MAX_QUERY // 2


def test_a_long_query_asks_the_frequencies_of_a_bounded_number_of_words():
    asked = []

    def estimate(words):
        asked.append(len(words))
        return {}, 0

    text = parse(" ".join(f"word{n}" for n in range(2000))).text
    kept = bounds.telling(text, estimate)

    assert asked == [bounds.MAX_ESTIMATED]
    assert len(list(words_of(kept))) == MAX_TERMS


PASTED_200 = " ".join(
    f"{word}{n // 10}"
    for n, word in enumerate(["how", "do", "I", "build", "trust", "with", "a", "new", "client",
                              "quickly"] * 20)
)  # fmt: skip


@pytest.mark.parametrize(
    "q",
    [PASTED_200, '"' * 999, '"a" ' * 500, '"' + PASTED_200, "(" * 500 + PASTED_200,
     " AND ".join(PASTED_200.split()), " OR ".join(PASTED_200.split()), "-a " * 600],
)  # fmt: skip
def test_an_adversarial_query_answers_and_the_engine_reads_at_most_the_word_limit(client, app, q):
    body = search(client, q)
    parsed = parse(q)
    engine = get_engine()
    read = bounds.telling(parsed.text, engine.frequencies)
    read = bounds.narrowed(bounded(read), engine.frequencies)

    assert read is None or len(list(bounds._all_words(read))) <= MAX_TERMS
    assert body["notice"] == (LONG_QUERY if bounds.too_long(parsed.text) else None)


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
