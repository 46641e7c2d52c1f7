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

    # Four words: the hit holding all four first, then the one holding three, however rated;
    # the few holding fewer follow, each number of words below the one above it.
    assert contributions(body) == [
        answers["all"].id,
        answers["three"].id,
        answers["two"].id,
        answers["one"].id,
    ]


def test_explain_says_which_fraction_of_the_words_a_hit_holds(client, answers):
    body = search(client, "delegation feedback rituals onboarding")

    assert matched(body) == {
        answers["all"].id: 1.0,
        answers["three"].id: 0.75,
        answers["two"].id: 0.5,
        answers["one"].id: 0.25,
    }


def test_a_hit_of_a_query_met_as_typed_holds_all_of_it(client, answers):
    for q in ("delegation", "rituals OR onboarding"):
        body = search(client, q)
        assert body["items"], q
        assert set(matched(body).values()) == {1.0}, q


def test_two_words_nobody_wrote_together_still_find_each_one(client, answers):
    body = search(client, "onboarding walrus")

    assert contributions(body) == [answers["all"].id]
    assert matched(body) == {answers["all"].id: 0.5}


def test_hits_holding_one_of_two_words_come_after_those_holding_both(client, answers):
    body = search(client, "delegation feedback")

    assert contributions(body)[-1] == answers["one"].id
    assert matched(body) == {
        answers["all"].id: 1.0,
        answers["three"].id: 1.0,
        answers["two"].id: 1.0,
        answers["one"].id: 0.5,
    }


def test_a_title_typed_with_a_word_nobody_wrote_still_finds_the_other_two(client, answers):
    body = search(client, "delegation rituals zeppelin")

    assert set(contributions(body)[:2]) == {answers["all"].id, answers["three"].id}
    assert list(matched(body).values())[:2] == [pytest.approx(2 / 3, abs=1e-4)] * 2


def test_a_typed_and_stays_strict(client, answers):
    body = search(client, "delegation AND feedback AND rituals AND onboarding")

    assert contributions(body) == [answers["all"].id]


def test_a_not_beside_the_words_still_excludes(client, answers):
    for q in (
        "delegation feedback rituals zeppelin NOT onboarding",
        "delegation feedback rituals zeppelin -onboarding",
    ):
        body = search(client, q)
        assert answers["all"].id not in contributions(body), q
        assert contributions(body) == [answers["three"].id, answers["two"].id, answers["one"].id]


@pytest.mark.parametrize("sort", ["best", "relevance"])
def test_an_or_keeps_its_meaning_its_hits_first_then_those_holding_most_words(
    client, answers, sort
):
    body = search(client, "delegation rituals OR zeppelin walrus", sort=sort)

    # The OR as typed: the two holding delegation and rituals, however rated, then the rest.
    assert set(contributions(body)[:2]) == {answers["all"].id, answers["three"].id}
    assert set(contributions(body)[2:]) == {answers["two"].id, answers["one"].id}
    assert body["notice"] is None


def test_an_or_whose_sides_find_nothing_finds_hits_holding_most_of_its_words(client, answers):
    # A pasted paragraph with "OR" in capitals: neither side is held whole by anyone.
    body = search(client, "delegation feedback zeppelin OR rituals onboarding walrus")

    assert contributions(body)[0] == answers["all"].id
    assert set(contributions(body)) == {a.id for a in answers.values()}
    assert "most of the words" in body["notice"]


def test_an_or_whose_sides_find_nothing_still_excludes_what_a_side_excludes(client, answers):
    body = search(client, "delegation feedback zeppelin -onboarding OR rituals walrus")

    assert answers["all"].id not in contributions(body)
    assert contributions(body)[0] == answers["three"].id


def test_a_long_query_ranks_hits_holding_two_thirds_of_its_words_first(client, answers):
    # Six words, four of them written: two thirds of six is four.
    body = search(client, "delegation feedback rituals onboarding zeppelin walrus")

    assert contributions(body)[0] == answers["all"].id
    assert matched(body)[answers["all"].id] == pytest.approx(4 / 6, abs=1e-4)
    assert [matched(body)[i] for i in contributions(body)] == sorted(
        matched(body).values(), reverse=True
    )


def test_a_phrase_counts_as_one_word_and_still_needs_its_words_in_order(client, answers):
    body = search(client, '"feedback rituals" onboarding zeppelin')

    assert contributions(body)[0] == answers["all"].id
    assert matched(body)[answers["all"].id] == pytest.approx(2 / 3, abs=1e-4)
    # "Delegation and feedback only." holds "feedback", not the phrase: no word of the query.
    assert answers["two"].id not in contributions(body)


def test_stop_words_do_not_count_as_missing_words(client, answers):
    body = search(client, "the delegation of feedback")

    assert set(contributions(body)[:3]) == {
        answers["all"].id,
        answers["three"].id,
        answers["two"].id,
    }
    assert [matched(body)[i] for i in contributions(body)] == [1.0, 1.0, 1.0, 0.5]


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


def test_the_soft_passes_go_from_most_of_the_words_to_any_one_of_them():
    from forum.search.soft import passes

    assert passes(1) == []
    assert passes(2) == [(2, 1)]
    assert passes(4) == [(4, 3), (4, 1)]
    assert passes(6) == [(6, 4), (6, 1)]
    assert passes(12) == [(8, 5), (12, 1)]
    assert passes(40) == [(8, 5), (16, 1)]


def test_a_rare_word_weighs_more_than_a_common_one_and_a_word_nobody_holds_nothing():
    from forum.search.soft import weights

    rare, common, nobody = weights([2, 5000, 0], 10_000)

    assert rare > 1 > common > 0
    assert nobody == 0
    assert rare + common == pytest.approx(2)  # the words some document holds weigh as many
    # Without figures (no statistics yet) every word weighs alike.
    assert weights([0, 0, 0], 0) == [1.0, 1.0, 1.0]


def test_past_four_words_only_a_hit_holding_every_word_has_a_tier_of_its_own():
    from forum.search.soft import in_tiers

    # (engine score, weighed words held, words held). Four words: a hit holding three ranks
    # above one holding two, whatever their scores.
    held_three, held_two = in_tiers([(0.2, 3, 3), (0.9, 2, 2)], 4)
    assert held_three > held_two
    # A title of six words typed as is: every word first, then the engine's score decides
    # (it grows with each word held, more with a rare one).
    every, four, three = in_tiers([(1.0, 6, 6), (0.2, 4, 4), (0.9, 3, 3)], 6)
    assert every > three > four
    # A pasted question of 40 words: the same.
    every, twelve, five = in_tiers([(1.0, 40, 40), (0.2, 12, 12), (0.9, 5, 5)], 40)
    assert every > five > twelve


def test_words_nobody_wrote_do_not_make_a_few_typed_words_a_sentence():
    from forum.search.soft import in_tiers

    # Six words typed, two of them held by no document (a typo, a name): four words that count,
    # so a hit holding three of them still ranks above one holding two, whatever their scores.
    held_three, held_two = in_tiers([(0.2, 3, 3), (0.9, 2, 2)], 6, known=4)
    assert held_three > held_two
    held_three, held_two = in_tiers([(0.2, 3, 3), (0.9, 2, 2)], 6, known=6)
    assert held_two > held_three


def test_a_word_a_pasted_question_repeats_weighs_more_than_one_it_says_once(client, app):
    prompt = make_prompt(title=TITLE, key_points=(("First point", "Nothing special."),))
    once = make_contribution(prompt=prompt, body="Rituals at work.")  # older: first on a tie
    repeated = make_contribution(prompt=prompt, body="Delegation at work.")
    make_contribution(prompt=prompt, body="Feedback, onboarding and habits.")
    question = (
        "Delegation keeps failing: how do you start delegation with rituals, feedback, "
        "onboarding and habits, when delegation feels risky?"
    )

    order = contributions(search(client, question, sort="relevance"))

    assert order.index(repeated.id) < order.index(once.id)
