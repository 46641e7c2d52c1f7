"""A pasted question costs a few ordinary searches (docs/architecture.md, "Search"): past
soft.CHOOSING words, only the rarest few choose the candidates and every word is counted on those
candidates alone; the hit holding the question's telling words still comes first."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from whoosh import query as wq
from whoosh.matching import ListMatcher

from forum.extensions import db
from forum.search.query import parse
from forum.search.soft import CHOOSING, choosing
from forum.search.whoosh.minmatch import MinMatch, MinMatchMatcher, held
from tests.factories import make_contribution, make_prompt
from tests.helpers import statements_during
from tests.search.helpers import search

RARE = "zeppelin walrus marzipan quokka tambourine obsidian kumquat fjord gondola pangolin".split()  # noqa: SIM905
COMMON = """team meeting work people week project plan help question manager client goal
    budget report email office schedule deadline task colleague feedback role skill career
    training""".split()  # noqa: SIM905


def test_at_most_eight_words_choose_the_candidates_of_a_long_query():
    assert CHOOSING == 8
    # (how many of the rarest words choose, how many of those a candidate must hold)
    assert choosing(40) == (8, 5)
    assert choosing(9) == (8, 5)
    # Up to eight words every word chooses, two thirds of them needed as before.
    assert choosing(6) == (6, 4)
    assert choosing(3) == (3, 2)


class _Part(wq.Query):
    """A part of a query that says how many documents hold it."""

    def __init__(self, text: str, documents: int):
        self.text, self.documents = text, documents

    def estimate_size(self, ixreader):
        return self.documents


def test_the_rarest_eight_of_forty_parts_choose_in_whoosh():
    words = [f"word{i}" for i in range(40)]
    counts = {w: 1000 - i for i, w in enumerate(words)}  # the later, the rarer
    query = MinMatch([_Part(w, counts[w]) for w in words], 5, choosing=8)

    choosers, counted = query.chosen(None)

    assert {q.text for q in choosers} == set(words[32:])
    assert len(counted) == 32


class _Counting(ListMatcher):
    """A posting list that counts how often it is read one document at a time."""

    steps = 0

    def next(self):
        type(self).steps += 1
        return super().next()


def test_a_common_word_is_only_jumped_to_the_candidates_never_walked():
    _Counting.steps = 0
    rare = [ListMatcher([5, 50, 500]), ListMatcher([5, 60, 500])]
    common = _Counting(list(range(1000)))  # in every document
    matcher = MinMatchMatcher(rare, 2, [common])

    found = []
    while matcher.is_active():
        found.append((matcher.id(), held(matcher.score())))
        matcher.next()

    # Both documents holding the two rare words, each counted as holding the common one too.
    assert found == [(5, 3), (500, 3)]
    assert _Counting.steps == 0


def test_a_pasted_question_plans_combinations_of_eight_words_on_postgresql(app, search_backend):
    if search_backend != "postgres":
        pytest.skip("the PostgreSQL engine's plan")
    from forum.search.postgres import soft

    question = " ".join(COMMON + RARE)  # 35 words
    with app.app_context():
        plan = soft.plan(parse(question).text)

    combinations = plan.gin.strip("()").split(") | (")
    words = {w for c in combinations for w in c.replace("(", "").replace(")", "").split(" & ")}
    assert plan.words == 35
    assert plan.minimum == 5 and plan.exact
    assert len(combinations) == 56  # 5 of 8
    assert len(words) == CHOOSING


@pytest.fixture
def pasted(app, search_backend):
    """An answer holding the question's rare words and few of its common ones, and answers
    holding several of its common words but none of the rare ones."""
    prompt = make_prompt(title="Quiet mornings", key_points=(("First point", "Nothing."),))
    target = make_contribution(
        prompt=prompt, body=" ".join(RARE[:7] + COMMON[:3]) + ", all in one answer."
    )
    # Each decoy holds eight of the question's common words, as an answer about something
    # else does.
    decoys = [
        make_contribution(prompt=prompt, body=" ".join(COMMON[n * 3 : n * 3 + 8]) + f", {n}.")
        for n in range(6)
    ]
    if search_backend == "postgres":  # the planner's statistics tell which words are rare
        db.session.execute(text("ANALYZE contribution_search"))
        db.session.commit()
    return target, decoys


def test_a_pasted_question_finds_the_answer_holding_its_telling_words_first(client, pasted):
    target, _ = pasted
    question = "Our " + " ".join(COMMON) + " and then " + " ".join(RARE) + "?"

    body = search(client, question)

    first = body["items"][0]
    assert (first["type"], first["id"]) == ("contribution", target.id)
    # explain.matched stays the plain fraction of the words held: 10 of 35.
    assert first["explain"]["matched"] == pytest.approx(10 / 35, abs=1e-4)


def test_a_pasted_question_still_ranks_a_hit_holding_every_word_first(client, pasted):
    _, decoys = pasted
    whole = make_contribution(prompt=decoys[0].prompt, body=" ".join(COMMON + RARE) + ".")
    question = " ".join(RARE) + " " + " ".join(COMMON)

    body = search(client, question)

    first = body["items"][0]
    assert (first["type"], first["id"]) == ("contribution", whole.id)
    assert first["explain"]["matched"] == 1.0


def test_a_word_no_document_holds_never_chooses_in_whoosh():
    # Ten parts: the two no document holds (typos, words nobody wrote) would be the "rarest";
    # the eight rarest of the words some document holds choose instead.
    words = [f"word{i}" for i in range(10)]
    counts = {w: 0 if i < 2 else 100 + i for i, w in enumerate(words)}
    query = MinMatch([_Part(w, counts[w]) for w in words], 5, choosing=8)

    choosers, counted = query.chosen(None)

    assert {q.text for q in choosers} == set(words[2:])
    assert {q.text for q in counted} == {"word0", "word1"}


def test_at_most_half_the_choosers_are_words_one_document_alone_holds():
    # A pasted question with a long code string: twelve strings of one post, and ten words
    # others share. Four of the strings choose, and the four rarest shared words with them.
    alone = [f"string{i}" for i in range(12)]
    shared = [f"shared{i}" for i in range(10)]
    counts = {w: 1 for w in alone} | {w: 10 + i for i, w in enumerate(shared)}
    query = MinMatch([_Part(w, counts[w]) for w in alone + shared], 5, choosing=8)

    choosers, _ = query.chosen(None)

    assert {q.text for q in choosers} == set(alone[:4] + shared[:4])


def test_a_pasted_questions_last_pass_chooses_its_rarest_words_within_a_budget():
    from forum.search.soft import LOOSE_DOCUMENTS, within_budget

    assert LOOSE_DOCUMENTS == 1000
    words = [f"word{i}" for i in range(20)]
    counts = {w: 300 * (i + 1) for i, w in enumerate(words)}  # 300, 600, 900, ...
    query = MinMatch([_Part(w, counts[w]) for w in words], 1, choosing=16)

    choosers, counted = query.chosen(None)

    # 300 + 600 documents fit in the budget; 900 more would not.
    assert [q.text for q in choosers] == ["word0", "word1"]
    assert len(counted) == 18
    # The rarest word always chooses, however many documents hold it.
    assert within_budget([5000, 10], lambda n: n) == [5000]


def test_a_few_typed_words_last_pass_lets_a_common_word_choose_only_to_fill_the_candidates():
    # Three words typed: the rarest, in 40 documents, cannot fill the 200 candidates alone, so
    # the next one chooses too; the third, as common, is only counted: a hit holding it alone
    # would be one of 50,000 alike, ranked below every hit holding a rarer word.
    query = MinMatch([_Part("rare", 40), _Part("common", 50_000), _Part("commoner", 60_000)],
                     1, choosing=3)  # fmt: skip

    choosers, counted = query.chosen(None)

    assert [q.text for q in choosers] == ["rare", "common"]
    assert [q.text for q in counted] == ["commoner"]


def test_a_titles_last_pass_is_any_of_its_words_however_common():
    # Six words typed (a title): its hits are ranked by the engine's score, where holding
    # several of the common words counts, so every word chooses.
    words = [f"word{i}" for i in range(6)]
    query = MinMatch([_Part(w, 50_000) for w in words], 1, choosing=6)

    choosers, counted = query.chosen(None)

    assert [q.text for q in choosers] == words
    assert counted == []


def test_a_word_one_document_holds_still_chooses_among_a_few_typed_words():
    query = MinMatch([_Part("zeppelin", 1), _Part("walrus", 1)], 1, choosing=2)

    choosers, _ = query.chosen(None)

    assert {q.text for q in choosers} == {"zeppelin", "walrus"}


def test_no_further_pass_once_both_kinds_together_fill_the_candidates(app, search_backend):
    if search_backend != "postgres":
        pytest.skip("the PostgreSQL engine's passes (Whoosh reads both kinds in one index)")
    from forum.search import get_engine

    prompt = make_prompt(title="Quiet mornings", key_points=(("First point", "Nothing."),))
    answers = [make_contribution(prompt=prompt, body=f"Delegation and feedback, {n}.")
               for n in range(3)]  # fmt: skip
    make_prompt(title="Zeppelin tours", key_points=(("First point", "Nothing."),))
    with app.app_context(), statements_during() as sent:
        hits = get_engine().search(parse("delegation feedback zeppelin"), 3)
    # A pass's statement reads candidates of either kind.
    asked = [statement for statement in sent if "AS kind" in statement]

    # The three answers hold two of the three words: with the query as typed (none hold all
    # three), they fill the three candidates, and the prompt holding "zeppelin" alone, which
    # could only rank below them, is never looked for.
    assert {(h.type, h.id) for h in hits} == {("contribution", a.id) for a in answers}
    assert len(asked) == 2


def test_the_average_lengths_are_read_once_a_minute_not_once_a_search(
    app, client, search_backend, monkeypatch
):
    if search_backend != "postgres":
        pytest.skip("the PostgreSQL engine's BM25 (Whoosh keeps its own lengths)")
    from forum import kept
    from forum.search.postgres import lookups

    prompt = make_prompt(title="Quiet mornings", key_points=(("First point", "Nothing."),))
    for n in range(3):
        make_contribution(prompt=prompt, body=f"Delegation and feedback, {n}.")

    def lengths_read(sent: list[str]) -> int:
        return sum("avg(length(" in statement for statement in sent)

    clock = [1000.0]
    monkeypatch.setattr(kept, "clock", lambda: clock[0])
    with statements_during(app) as sent:
        for words in ("delegation zeppelin", "feedback walrus", "quiet zeppelin"):
            assert search(client, words)["items"]  # a soft pass each: the lengths are used
        assert lengths_read(sent) == 1
        clock[0] += lookups.LENGTHS_KEPT + 1
        search(client, "delegation zeppelin")
        assert lengths_read(sent) == 2
