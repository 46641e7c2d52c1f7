"""Soft matching (docs/api.md, "Search"): words put side by side find hits holding every word
first, then hits holding most of them; a typed AND, a NOT and a -word keep their meaning."""

from __future__ import annotations

import pytest

from forum.search.soft import minimum_should_match, tiered
from tests.factories import make_contribution, make_prompt, rate_many
from tests.search.helpers import hits, search

TITLE = "Quiet mornings"


@pytest.fixture
def answers(app):
    """Contributions under a prompt whose title holds none of the words searched, each holding
    some of the words "delegation", "feedback", "rituals" and "onboarding"."""
    prompt = make_prompt(title=TITLE, key_points=(("First point", "Nothing special."),))

    def answer(body: str, ratings=()):
        made = make_contribution(prompt=prompt, body=body)
        if ratings:
            rate_many(made, ratings)
        return made

    return {
        "all": answer("Delegation, feedback, rituals and onboarding, all of them."),
        "three": answer("Delegation with feedback and rituals.", ratings=[5, 5, 5, 5]),
        "two": answer("Delegation and feedback only.", ratings=[5, 5, 5, 5, 5]),
        "one": answer("Delegation alone."),
    }


def contributions(body: dict) -> list[int]:
    return [i for kind, i in hits(body) if kind == "contribution"]


def matched(body: dict) -> dict[int, float]:
    return {
        item["id"]: item["explain"]["matched"]
        for item in body["items"]
        if item["type"] == "contribution"
    }


@pytest.mark.parametrize("sort", ["best", "relevance"])
def test_hits_holding_every_word_come_before_hits_holding_most(client, answers, sort):
    body = search(client, "delegation feedback rituals onboarding", sort=sort)

    # Four words: a hit must hold three. The rated answer holding three words still comes after
    # the unrated one holding all four, and the ones holding two or one do not come back.
    assert contributions(body) == [answers["all"].id, answers["three"].id]


def test_explain_says_which_fraction_of_the_words_a_hit_holds(client, answers):
    body = search(client, "delegation feedback rituals onboarding")

    assert matched(body) == {answers["all"].id: 1.0, answers["three"].id: 0.75}


def test_a_hit_of_a_query_met_as_typed_holds_all_of_it(client, answers):
    for q in ("delegation", "delegation feedback", "rituals OR onboarding"):
        body = search(client, q)
        assert body["items"], q
        assert set(matched(body).values()) == {1.0}, q


def test_a_title_typed_with_a_word_nobody_wrote_still_finds_the_other_two(client, answers):
    body = search(client, "delegation rituals zeppelin")

    assert set(contributions(body)) == {answers["all"].id, answers["three"].id}
    assert list(matched(body).values()) == [pytest.approx(2 / 3, abs=1e-4)] * 2


def test_a_typed_and_stays_strict(client, answers):
    body = search(client, "delegation AND feedback AND rituals AND onboarding")

    assert contributions(body) == [answers["all"].id]


def test_a_not_beside_the_words_still_excludes(client, answers):
    body = search(client, "delegation feedback rituals zeppelin NOT onboarding")

    assert contributions(body) == [answers["three"].id]
    body = search(client, "delegation feedback rituals zeppelin -onboarding")

    assert contributions(body) == [answers["three"].id]


def test_a_long_query_needs_about_two_thirds_of_its_words(client, answers):
    # Six words, four of them written: two thirds of six is four.
    body = search(client, "delegation feedback rituals onboarding zeppelin walrus")

    assert contributions(body) == [answers["all"].id]
    assert matched(body) == {answers["all"].id: pytest.approx(4 / 6, abs=1e-4)}


def test_a_phrase_counts_as_one_word_and_still_needs_its_words_in_order(client, answers):
    body = search(client, '"feedback rituals" onboarding zeppelin')

    assert matched(body) == {answers["all"].id: pytest.approx(2 / 3, abs=1e-4)}


def test_stop_words_do_not_count_as_missing_words(client, answers):
    body = search(client, "the delegation of feedback")

    assert set(contributions(body)) == {answers["all"].id, answers["three"].id, answers["two"].id}
    assert set(matched(body).values()) == {1.0}


def test_how_many_words_a_hit_must_hold_grows_with_the_query():
    needed = {n: minimum_should_match(n) for n in (1, 2, 3, 4, 5, 6, 10, 40)}

    assert needed == {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 10: 6, 40: 26}


def test_usefulness_can_never_lift_a_hit_holding_fewer_words_above_one_holding_more():
    scored = [(1.0, 4), (0.2, 4), (5.0, 3), (0.1, 3), (9.0, 2)]

    scores = tiered(scored)

    # `best` multiplies by 0.3 to 1.0: the weakest hit of a tier at 0.3 still beats the strongest
    # of the tier below at 1.0; within a tier the engine's order stands.
    for held in (4, 3):
        weakest = min(s for s, (_, h) in zip(scores, scored, strict=True) if h == held)
        below = max(s for s, (_, h) in zip(scores, scored, strict=True) if h == held - 1)
        assert 0.3 * weakest > below
    assert scores[0] > scores[1] and scores[2] > scores[3]
