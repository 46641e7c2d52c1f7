"""The query language (docs/api.md, "Search"): what each piece means, and a 400 naming every
mistake, both from the parser and from GET /api/v1/search. Never a 500, whatever is typed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.search.query import MAX_QUERY, MAX_TERMS, And, Not, Or, Phrase, QueryError, Term, parse
from tests.search.helpers import assert_bad_query, search_url


def text_of(q: str):
    return parse(q).text


def test_words_are_lower_cased_and_all_of_them_are_required():
    assert text_of("Trust GOALS") == And((Term("trust"), Term("goals")))


def test_a_single_word_is_a_term():
    assert text_of("motivation") == Term("motivation")


def test_a_quoted_phrase_keeps_its_words_in_order():
    assert text_of('"powerful questions" trust') == And(
        (Phrase(("powerful", "questions")), Term("trust"))
    )


def test_and_means_the_same_as_a_space():
    assert text_of("trust AND goals") == text_of("trust goals")


def test_or_binds_looser_than_and():
    assert text_of("trust goals OR habits") == Or(
        (And((Term("trust"), Term("goals"))), Term("habits"))
    )


def test_lower_case_operators_are_ordinary_words():
    assert text_of("trust or goals") == And((Term("trust"), Term("or"), Term("goals")))


def test_not_and_a_leading_minus_both_exclude_a_word():
    expected = And((Term("trust"), Not(Term("spam"))))
    assert text_of("trust NOT spam") == expected
    assert text_of("trust -spam") == expected


def test_parentheses_group_what_they_hold():
    assert text_of("(trust OR rapport) goals") == And(
        (Or((Term("trust"), Term("rapport"))), Term("goals"))
    )
    assert text_of("trust -(spam OR ads)") == And(
        (Term("trust"), Not(Or((Term("spam"), Term("ads")))))
    )


def test_field_filters_stand_beside_the_words():
    parsed = parse("trust topic:Life-Coaching tag:Goals #listening author:Sam @dana type:prompt")

    assert parsed.text == Term("trust")
    assert parsed.topics == ["life-coaching"]
    assert parsed.tags == ["goals", "listening"]
    assert parsed.authors == ["sam", "dana"]
    assert parsed.types == ["prompt"]
    assert parsed.has_filter


def test_a_minus_before_a_field_excludes_what_it_names():
    parsed = parse("trust -#spam -@troll -topic:sales -type:prompt")

    assert parsed.text == Term("trust")
    assert parsed.exclude_tags == ["spam"]
    assert parsed.exclude_authors == ["troll"]
    assert parsed.exclude_topics == ["sales"]
    assert parsed.types == ["contribution"]


def test_filters_may_come_as_parameters_with_or_without_their_sign():
    parsed = parse("trust", topic="life-coaching", tag="#Goals", author="@Sam", type="contribution")

    assert (parsed.topics, parsed.tags, parsed.authors) == (["life-coaching"], ["goals"], ["sam"])
    assert parsed.types == ["contribution"]


def test_a_query_of_filters_alone_has_no_text_but_a_filter():
    parsed = parse("#goals")

    assert parsed.text is None
    assert parsed.has_filter


def test_the_positive_words_are_what_suggestions_and_highlights_use():
    assert parse('trust "kept promises" -spam').words() == ["trust", "kept", "promises"]


TOO_MANY_WORDS = " ".join(["word"] * (MAX_TERMS + 1))
MISTAKES = {
    "unbalanced quote": ('"kept promises', "closing quote"),
    "unclosed parenthesis": ("(trust OR goals", "parenthesis is not closed"),
    "nested unclosed parenthesis": ("((trust) goals", "parenthesis is not closed"),
    "stray closing parenthesis": ("trust goals)", "closing parenthesis has no opening"),
    "empty parentheses": ("trust ()", "Empty parentheses"),
    "dangling AND at the end": ("trust AND", "AND needs words on both sides"),
    "dangling AND at the start": ("AND trust", "AND needs words on both sides"),
    "AND followed by OR": ("trust AND OR goals", "AND needs words on both sides"),
    "dangling OR at the end": ("trust OR", "OR needs words on both sides"),
    "dangling OR at the start": ("OR trust", "OR needs words on both sides"),
    "dangling NOT": ("trust NOT", "NOT (or -) needs a word after it"),
    "NOT followed by AND": ("trust NOT AND goals", "NOT (or -) needs a word after it"),
    "only excluded words": ("NOT trust", "at least one word that is not excluded"),
    "only a minus word": ("-trust", "at least one word that is not excluded"),
    "unknown type": ("trust type:bogus", "type: is prompt or contribution, not 'bogus'"),
    "empty tag": ("trust tag:", "tag: needs a value"),
    "empty topic": ("trust topic:", "topic: needs a value"),
    "empty author": ("trust author:", "author: needs a value"),
    "not a tag name": ("trust #!!!", "is not a tag name"),
    "field inside parentheses": ("(trust topic:sales)", "Field filters go beside the words"),
    "tag inside parentheses": ("(trust OR #goals)", "Field filters go beside the words"),
    "too long": ("a" * (MAX_QUERY + 1), f"at most {MAX_QUERY} characters"),
    "too many words": (TOO_MANY_WORDS, f"at most {MAX_TERMS} words"),
}


@pytest.mark.parametrize(("q", "message"), MISTAKES.values(), ids=MISTAKES.keys())
def test_a_query_that_cannot_be_parsed_says_what_is_wrong(q, message):
    with pytest.raises(QueryError) as raised:
        parse(q)

    assert message in str(raised.value)


def test_the_api_answers_every_mistake_with_a_400_naming_it(client):
    for q, message in MISTAKES.values():  # one app for all: each request is its own context
        assert_bad_query(client.get(search_url(q)), message)


def test_an_unknown_type_parameter_is_a_400_too(client):
    assert_bad_query(client.get(search_url("trust", type="bogus")))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text())
def test_any_text_at_all_is_answered_200_or_400_never_anything_else(client, trust, q):
    response = client.get(search_url(q))

    assert response.status_code in (200, 400), (q, response.get_json(silent=True))
    if response.status_code == 400:
        assert response.get_json()["message"]


FILTER_NAMES = st.sampled_from(["topic", "tag", "author", "type", "sort"])


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=FILTER_NAMES, value=st.text(), q=st.sampled_from(["", "trust", "trust -spam"]))
def test_any_filter_value_is_answered_200_or_400_never_anything_else(client, trust, name, value, q):
    response = client.get(search_url(q, **{name: value}))

    assert response.status_code in (200, 400), (name, value, response.get_json(silent=True))
