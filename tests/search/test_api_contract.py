"""GET /api/v1/search per docs/api.md, ranked per docs/architecture.md, on a real Whoosh index."""

from __future__ import annotations

import re

import pytest

from forum.services import moderation
from forum.urls import contribution_url, prompt_url
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
    rate_many,
)
from tests.search.helpers import (
    assert_bad_query,
    contribution_ids,
    found,
    hits,
    search,
    search_url,
)

HIT_FIELDS = {"type", "id", "prompt_id", "title", "snippet", "url", "score", "explain"}
EXPLAIN_FIELDS = {"text", "usefulness", "ratings", "featured", "matched", "tried", "success"}


def marked(word: str) -> re.Pattern:
    """The word highlighted as docs/api.md shows it: in a bare <mark>."""
    return re.compile(rf"<mark>{word}</mark>", re.IGNORECASE)


def item(body: dict, kind: str, ident: int) -> dict:
    return next(i for i in body["items"] if (i["type"], i["id"]) == (kind, ident))


def test_each_hit_carries_the_fields_api_md_promises(client, trust):
    prompt, answer = trust

    body = search(client, "trust")

    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 2)
    assert set(hits(body)) == {("prompt", prompt.id), ("contribution", answer.id)}
    for hit in body["items"]:
        assert set(hit) >= HIT_FIELDS
        assert set(hit["explain"]) == EXPLAIN_FIELDS
        assert marked("trust").search(hit["snippet"]), hit["snippet"]
    contribution = item(body, "contribution", answer.id)
    assert contribution["prompt_id"] == prompt.id
    assert contribution["title"] == "Building trust with a new client"
    assert contribution["explain"]["ratings"] == 2
    assert contribution["explain"]["featured"] is False
    assert contribution["explain"]["usefulness"] == pytest.approx((answer.score - 1) / 4, abs=1e-4)


def test_each_hit_links_to_the_canonical_page_of_what_it_found(client, trust):
    prompt, answer = trust

    body = search(client, "trust")

    assert item(body, "prompt", prompt.id)["url"] == prompt_url(prompt)
    assert item(body, "contribution", answer.id)["url"] == contribution_url(answer)


def test_an_editors_pick_says_so_in_its_explain(client, trust):
    _, answer = trust
    moderation.set_featured(make_moderator(), answer, True)

    body = search(client, "trust", type="contribution")

    assert item(body, "contribution", answer.id)["explain"]["featured"] is True


def test_a_snippet_escapes_what_the_author_wrote(client, app):
    answer = make_contribution(body="Trust, then `<script>alert(1)</script>` in a code span.")

    snippet = item(search(client, "trust"), "contribution", answer.id)["snippet"]

    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert marked("trust").search(snippet)


@pytest.fixture
def two_topics(app):
    """Every item mentions "rapport"; topics and tags differ."""
    life = make_topic(slug="life-coaching")
    business = make_topic(slug="business-coaching")
    p1 = make_prompt(topic=life, title="Rapport with a new client", tags=("trust",))
    p2 = make_prompt(topic=business, title="Rapport in a sales team", tags=("sales",))
    sam = make_user(username="sam")
    items = {
        "p1": p1,
        "p2": p2,
        "c1": make_contribution(prompt=p1, author=sam, body="Rapport first. #listening"),
        "c2": make_contribution(prompt=p1, body="Rapport, then goals. #listening #goals"),
        "c3": make_contribution(prompt=p2, body="Rapport sells. #listening"),
    }
    return items


def keys_of(items: dict, *names: str) -> set[tuple[str, int]]:
    return {("prompt" if name[0] == "p" else "contribution", items[name].id) for name in names}


def test_facets_count_the_results_by_topic_and_by_tag(client, two_topics):
    body = search(client, "rapport")

    assert body["total"] == 5
    assert body["facets"] == {
        "topics": {"life-coaching": 3, "business-coaching": 2},
        "tags": {"trust": 3, "listening": 3, "sales": 2, "goals": 1},
        "outcomes": {"tried": 0, "proven": 0},
    }


FILTERS = [
    ("topic", "business-coaching", "topic:business-coaching", ("p2", "c3")),
    ("tag", "goals", "#goals", ("c2",)),
    ("tag", "listening", "tag:listening", ("c1", "c2", "c3")),
    ("author", "sam", "@sam", ("c1",)),
    ("type", "prompt", "type:prompt", ("p1", "p2")),
]


@pytest.mark.parametrize(("name", "value", "in_query", "expected"), FILTERS)
def test_a_filter_selects_the_same_as_a_parameter_or_inside_the_query_with_or_without_words(
    client, two_topics, name, value, in_query, expected
):
    selected = keys_of(two_topics, *expected)

    assert found(client, "rapport", **{name: value}) == selected
    assert found(client, f"rapport {in_query}") == selected
    # An empty query with a filter lists what the filter selects.
    assert found(client, "", **{name: value}) == selected
    assert found(client, in_query) == selected


def test_a_minus_before_a_filter_leaves_out_what_it_names(client, two_topics):
    assert found(client, "rapport -#listening") == keys_of(two_topics, "p1", "p2")
    assert found(client, "rapport -topic:life-coaching") == keys_of(two_topics, "p2", "c3")


def test_an_unknown_topic_finds_nothing_rather_than_failing(client, two_topics):
    body = search(client, "rapport", topic="no-such-topic")

    assert (body["items"], body["total"]) == ([], 0)


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20"])
def test_a_search_without_words_or_filter_is_a_400(client, two_topics, query):
    assert_bad_query(client.get(f"/api/v1/search{query}"), "Type some words")


def test_pages_split_the_results_without_losing_or_repeating_any(client, app):
    prompt = make_prompt(title="Pages")
    made = {make_contribution(prompt=prompt, body=f"Journaling, take {n}.").id for n in range(5)}

    pages = [search(client, "journaling", per_page=2, page=n) for n in (1, 2, 3, 4)]

    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    assert {p["total"] for p in pages} == {5}
    assert [(p["page"], p["per_page"]) for p in pages] == [(1, 2), (2, 2), (3, 2), (4, 2)]
    seen = [ident for p in pages for ident in contribution_ids(p)]
    assert sorted(seen) == sorted(made)


@pytest.fixture
def useful_versus_close(app):
    """`close` repeats the word: the stronger text match. `useful` mentions it once, among other
    words, but forty readers rated it highly."""
    prompt = make_prompt(title="Handing work over")
    close = make_contribution(
        prompt=prompt, body="Delegation, delegation, delegation: delegation is the habit."
    )
    useful = make_contribution(
        prompt=prompt, body="Delegation worked once I wrote down the outcome and the deadline."
    )
    rate_many(useful, [5] * 12)
    rate_many(close, [2, 3])
    return close, useful


def test_best_blends_text_match_with_usefulness_as_design_md_says(client, useful_versus_close):
    body = search(client, "delegation", sort="best")

    texts = [i["explain"]["text"] for i in body["items"]]
    assert max(texts) == pytest.approx(1.0)
    for hit in body["items"]:
        explain = hit["explain"]
        expected = explain["text"] * (0.3 + 0.7 * explain["usefulness"])
        assert hit["score"] == pytest.approx(expected, abs=2e-4)
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_a_much_more_useful_answer_outranks_a_slightly_closer_one_in_best_only(
    client, useful_versus_close
):
    close, useful = useful_versus_close

    best = contribution_ids(search(client, "delegation", sort="best"))
    relevance = search(client, "delegation", sort="relevance")

    assert best == [useful.id, close.id]
    assert contribution_ids(relevance) == [close.id, useful.id]
    strengths = {i["id"]: i["explain"]["text"] for i in relevance["items"]}
    assert 0.5 < strengths[useful.id] < strengths[close.id] == pytest.approx(1.0)


def test_best_is_the_default_sort(client, useful_versus_close):
    assert search(client, "delegation") == search(client, "delegation", sort="best")


def test_a_prompt_is_as_useful_as_its_three_most_useful_visible_answers(client, app):
    prompt = make_prompt(title="Mentoring juniors", intro="Mentoring that sticks.")
    answers = [make_contribution(prompt=prompt, body=f"Answer {n}.") for n in range(5)]
    for answer, scores in zip(answers, ([5, 5, 5], [4, 4], [3], [], [5] * 6), strict=True):
        rate_many(answer, scores)
    moderation.hide(make_moderator(), answers[4], "spam")  # the best, but nobody sees it
    units = sorted(((a.score - 1) / 4 for a in answers[:4]), reverse=True)

    hit = item(search(client, "mentoring", type="prompt"), "prompt", prompt.id)

    assert hit["explain"]["usefulness"] == pytest.approx(sum(units[:3]) / 3, abs=1e-4)
    assert hit["explain"]["ratings"] == 0
    assert hit["explain"]["featured"] is False


def test_relevance_orders_by_text_match_alone(client, two_topics):
    texts = [i["explain"]["text"] for i in search(client, "rapport", sort="relevance")["items"]]

    assert texts == sorted(texts, reverse=True)


def test_useful_orders_by_usefulness_then_number_of_ratings(client, app):
    prompt = make_prompt(title="Useful order")
    low, high, middle = (make_contribution(prompt=prompt, body="Reframing helps.") for _ in "abc")
    rate_many(high, [5] * 6)
    rate_many(middle, [4, 4])
    rate_many(low, [1, 2])

    body = search(client, "reframing", sort="useful")

    assert contribution_ids(body) == [high.id, middle.id, low.id]
    usefulness = [i["explain"]["usefulness"] for i in body["items"]]
    assert usefulness == sorted(usefulness, reverse=True)


def test_newest_orders_by_time_of_writing(client, app):
    prompt = make_prompt(title="Newest order", intro="Nothing about it here.")
    made = [make_contribution(prompt=prompt, body=f"Visualisation, step {n}.").id for n in range(3)]

    body = search(client, "visualisation", sort="newest")

    assert contribution_ids(body) == made[::-1]
    times = [i["created_at"] for i in body["items"]]
    assert times == sorted(times, reverse=True)


def test_a_misspelt_word_with_few_hits_gets_a_suggestion(client, app):
    make_contribution(body="Motivation comes after the first small action.")

    body = search(client, "motivaton")

    assert body["items"] == []
    assert body["suggestion"] == "motivation"


def test_a_well_spelt_word_with_enough_hits_gets_no_suggestion(client, app):
    prompt = make_prompt(title="Several")
    for n in range(3):
        make_contribution(prompt=prompt, body=f"Motivation, version {n}.")

    body = search(client, "motivation")

    assert body["total"] >= 3
    assert body["suggestion"] is None


@pytest.mark.parametrize(
    ("written", "searched"),
    [("Clients stay motivated by tiny wins.", "motivation"), ("I run the session.", "running")],
)
def test_stemming_finds_other_forms_of_a_word_and_marks_them(client, app, written, searched):
    answer = make_contribution(body=written)

    body = search(client, searched)

    assert contribution_ids(body) == [answer.id]
    form = next(w for w in re.findall(r"\w+", written) if w[:3] == searched[:3])
    assert marked(form).search(body["items"][0]["snippet"])


def test_an_invalid_page_size_is_a_400_not_a_500(client, two_topics):
    response = client.get(search_url("rapport", per_page=1000))

    assert response.status_code == 400
