""" "Did you mean" does bounded work whatever the query: a few unknown
words are looked up, a few close words considered for each, within a time budget. Checked as
behaviour (which words get a suggestion, how many close words the engine hands over), never by
timing."""

from __future__ import annotations

import itertools
import string

import pytest

from forum.search import get_engine, suggestions
from tests.factories import make_contribution, make_prompt
from tests.search.helpers import search


def made_up(count: int) -> list[str]:
    """Words of letters that no document holds nor comes near ("qzxv" + three letters)."""
    triples = itertools.product(string.ascii_lowercase, repeat=3)
    return ["qzxv" + "".join(letters) for letters in itertools.islice(triples, count)]


@pytest.fixture
def motivation(app):
    make_contribution(body="Motivation comes after the first small action.")


def test_a_200_word_misspelt_query_gets_a_suggestion_from_its_first_words(motivation):
    words = ["motivaton", *made_up(198), "actoin"]

    better = get_engine().suggest(words)

    assert better == {"motivaton": "motivation"}


def test_only_the_first_few_unknown_words_are_looked_up(motivation):
    engine = get_engine()
    last_looked_up = [*made_up(suggestions.MAX_CORRECTED - 1), "motivaton"]
    one_too_far = [*made_up(suggestions.MAX_CORRECTED), "motivaton"]

    assert engine.suggest(last_looked_up) == {"motivaton": "motivation"}
    assert engine.suggest(one_too_far) == {}


def test_known_words_do_not_use_up_the_lookups(motivation):
    words = ["comes", "after", "first", "small", "action", "motivation", "motivaton"]

    assert get_engine().suggest(words) == {"motivaton": "motivation"}


def test_a_word_longer_than_any_worth_correcting_is_not_looked_up(app):
    long_word = "motivation" * 3
    make_contribution(body=f"A {long_word} of a word.")

    assert get_engine().suggest([long_word[:-1]]) == {}


def test_the_close_words_an_engine_considers_are_capped(app):
    word = "zorbax"
    near = [word[:i] + c + word[i + 1 :] for i in range(6) for c in "cdefghijklmn" if c != word[i]]
    prompt = make_prompt(title="Near words")
    for chunk in range(0, len(near), 24):
        make_contribution(prompt=prompt, body=" ".join(near[chunk : chunk + 24]) + ".")

    close = get_engine().close_words(word)

    assert len(near) > suggestions.MAX_CANDIDATES
    assert len(close) == suggestions.MAX_CANDIDATES
    assert set(close) <= set(near)


def test_suggestions_stop_when_their_time_budget_is_spent(motivation, monkeypatch):
    engine = get_engine()
    monkeypatch.setattr(suggestions, "clock", lambda: 0.0)  # time stands still
    assert engine.suggest(["motivaton", "actoin"]) == {
        "motivaton": "motivation",
        "actoin": "action",
    }
    ticks = itertools.count(step=suggestions.BUDGET)  # every look at the clock spends the budget
    monkeypatch.setattr(suggestions, "clock", lambda: next(ticks))

    better = engine.suggest(["motivaton", "actoin"])

    assert better == {"motivaton": "motivation"}


def test_a_long_quoted_misspelt_query_still_answers_with_a_suggestion(client, motivation):
    pasted = '"motivaton ' + " ".join(made_up(60)) + '"'

    body = search(client, pasted)

    assert body["items"] == []
    assert body["suggestion"].startswith('"motivation ')


class Recorder:
    """Fake engine parts for the shared bounds: every word looked up and every candidate
    checked is recorded."""

    def __init__(self, candidates: int = 100):
        self.looked_up: list[str] = []
        self.checked: list[str] = []
        self.candidates = candidates

    def known(self, words):
        return set()

    def close_words(self, word, deadline=None):
        self.looked_up.append(word)
        return [f"{word}{n}" for n in range(self.candidates)]

    def visible(self, words):
        self.checked.extend(words)
        return set()


def test_each_looked_up_word_has_at_most_a_few_candidates_checked_for_visibility():
    fake = Recorder()

    suggestions.correct(made_up(200), fake.known, fake.close_words, fake.visible)

    assert fake.looked_up == made_up(suggestions.MAX_CORRECTED)
    assert len(fake.checked) == suggestions.MAX_CORRECTED * suggestions.MAX_VERIFIED


def test_at_most_the_query_word_limit_is_asked_whether_it_is_known():
    asked = []

    def known(words):
        asked.extend(words)
        return set(words)

    suggestions.correct(made_up(200), known, Recorder().close_words, Recorder().visible)

    assert asked == made_up(suggestions.MAX_WORDS)
