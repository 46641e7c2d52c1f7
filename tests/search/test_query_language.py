"""The query language (docs/api.md, "Search"): what each piece means, how what is not well formed
is read (never refused), and a 400 naming an impossible field value, both from the parser and
from GET /api/v1/search. Never a 500, whatever is typed."""

from __future__ import annotations

import string

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


LENIENT = {
    "a stray quote": ('"kept promises', And((Term("kept"), Term("promises")))),
    "a stray quote among phrases": ('"kept" "promises', And((Term("kept"), Term("promises")))),
    "an unclosed bracket": ("(trust OR goals", Or((Term("trust"), Term("goals")))),
    "a nested unclosed bracket": ("((trust) goals", And((Term("trust"), Term("goals")))),
    "a stray closing bracket": ("trust goals)", And((Term("trust"), Term("goals")))),
    "brackets the wrong way round": (")trust(", Term("trust")),
    "empty brackets": ("trust ()", Term("trust")),
    "only brackets and a star": ('"(*', None),
    "a dangling AND at the end": ("trust AND", Term("trust")),
    "a dangling AND at the start": ("AND trust", Term("trust")),
    "AND followed by OR": ("trust AND OR goals", Or((Term("trust"), Term("goals")))),
    "a dangling OR at the end": ("trust OR", Term("trust")),
    "a dangling OR at the start": ("OR trust", Term("trust")),
    "a lone AND": ("AND", None),
    "a lone OR": ("OR", None),
    "a dangling NOT": ("trust NOT", Term("trust")),
    "a dangling minus": ("trust -", Term("trust")),
    "NOT followed by AND": ("trust NOT AND goals", And((Term("trust"), Term("goals")))),
    "NOT twice": ("NOT NOT trust", Term("trust")),
    "only excluded words": ("NOT trust", None),
    "only a minus word": ("-trust", None),
    "only punctuation": ("?! ... --", None),
    "an OR branch that only excludes": ("trust OR -spam", Term("trust")),
    "a field name without a value": ("Topic: trust", And((Term("topic"), Term("trust")))),
    "a hash before what is not a tag name": ("trust #1", And((Term("trust"), Term("1")))),
    "deeper brackets than allowed": ("(" * 245 + "trust" + ")" * 245, Term("trust")),
}


@pytest.mark.parametrize(("q", "text"), LENIENT.values(), ids=LENIENT.keys())
def test_what_is_not_well_formed_is_read_as_plain_text_or_left_out(q, text):
    assert text_of(q) == text


def test_words_side_by_side_are_a_soft_and_and_a_typed_and_is_strict():
    assert text_of("trust goals").soft is True
    assert text_of("trust AND goals").soft is False
    assert text_of("AND trust goals").soft is True  # a dangling AND joins nothing
    assert text_of("(trust goals) OR habits").nodes[0].soft is True


def test_a_field_inside_brackets_filters_the_whole_query():
    parsed = parse("(trust OR #goals) (topic:sales)")

    assert parsed.text == Term("trust")
    assert (parsed.tags, parsed.topics) == (["goals"], ["sales"])


def test_a_field_value_ending_a_sentence_loses_its_punctuation():
    parsed = parse("trust #listening, type:prompt.")

    assert (parsed.tags, parsed.types) == (["listening"], ["prompt"])


def test_a_query_longer_than_the_safety_cap_is_cut_not_refused():
    parsed = parse("trust " + "a" * (MAX_QUERY + 10) + " goals")

    assert parsed.words()[0] == "trust"
    assert "goals" not in parsed.words()


def test_more_words_than_an_engine_reads_are_all_kept_by_the_parser():
    words = [f"word{n}" for n in range(MAX_TERMS * 3)]

    assert parse(" ".join(words)).words() == words


REFUSALS = {
    "unknown type": ("trust type:bogus", "type: is prompt or contribution, not 'bogus'"),
    "unknown excluded type": ("trust -type:other", "type: is prompt or contribution, not 'other'"),
    "not a tag name": ("trust tag:9lives", "'9lives' is not a tag name"),
    "a tag name too long": ("tag:" + "a" * 41, "is not a tag name"),
}


@pytest.mark.parametrize(("q", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_an_impossible_field_value_is_refused_saying_what_is_wrong(q, message):
    with pytest.raises(QueryError) as raised:
        parse(q)

    assert message in str(raised.value)


def test_the_api_answers_an_impossible_field_value_with_a_400_naming_it(client):
    for q, message in REFUSALS.values():  # one app for all: each request is its own context
        assert_bad_query(client.get(search_url(q)), message)


def test_an_unknown_type_parameter_is_a_400_too(client):
    assert_bad_query(client.get(search_url("trust", type="bogus")))


PIECES = ["AND ", "OR ", "NOT ", " -", "(", ")", '"', "#", "@", "topic:", "tag:", "author:",
          "type:", "type:prompt", "trust ", "é", "’"]  # fmt: skip
TYPED = st.lists(st.sampled_from([*string.printable, *PIECES]), max_size=150).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=TYPED)
def test_whatever_is_typed_is_answered_200_unless_a_field_value_is_impossible(client, trust, q):
    response = client.get(search_url(q))

    body = response.get_json(silent=True)
    if response.status_code == 400 and q.strip():
        assert "type: is prompt or contribution" in body["message"] or (
            "is not a tag name" in body["message"]
        ), (q, body)
    else:
        assert response.status_code == (200 if q.strip() else 400), (q, body)


FILTER_NAMES = st.sampled_from(["topic", "tag", "author", "type", "sort"])


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=FILTER_NAMES, value=st.text(), q=st.sampled_from(["", "trust", "trust -spam"]))
def test_any_filter_value_is_answered_200_or_400_never_anything_else(client, trust, name, value, q):
    response = client.get(search_url(q, **{name: value}))

    assert response.status_code in (200, 400), (name, value, response.get_json(silent=True))
