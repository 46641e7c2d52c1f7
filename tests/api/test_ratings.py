"""Ratings and ranking: the usefulness summary, the "useful" order, fair exposure, strategies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, Rating
from forum.services import moderation
from tests.api.helpers import (
    INT,
    STR,
    assert_contribution,
    assert_error,
    assert_page,
    assert_rating_summary,
    assert_shape,
    delete,
    get,
    ids,
    ok,
    put,
    refusals,
    refused,
)
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
    rate_many,
)
from tests.helpers import fresh


def rate(client, contribution_id: int, score, user):
    return put(client, f"/contributions/{contribution_id}/rating", {"score": score}, user=user)


def listing(client, prompt_id: int, query: str = "", user=None) -> list[dict]:
    body = ok(get(client, f"/prompts/{prompt_id}/contributions{query}", user=user))
    return assert_page(body, assert_contribution)


def answers(prompt, count: int) -> list[Contribution]:
    """`count` contributions under the prompt, oldest first."""
    return [make_contribution(prompt=prompt, body=f"Answer {n}") for n in range(count)]


def stored_scores(contribution_id: int) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Rating.score).where(Rating.contribution_id == contribution_id))
    )


# --- the rating summary ---------------------------------------------------------------------


def test_one_five_star_rating_gives_the_exact_summary(client):
    made, member = make_contribution(), make_user()

    body = ok(rate(client, made.id, 5, member))

    assert_rating_summary(body)
    assert body["my_rating"] == 5
    assert (body["count"], body["average"], body["histogram"]) == (1, 5.0, [0, 0, 0, 0, 1])
    assert body["score"] == pytest.approx(2.404, abs=0.001)
    row = fresh(Contribution, made.id)
    assert (row.histogram, row.rating_count, row.rating_sum) == ([0, 0, 0, 0, 1], 1, 5)
    assert row.score == pytest.approx(2.404, abs=0.001)
    assert stored_scores(made.id) == [5]
    shown = ok(get(client, f"/contributions/{made.id}", user=member))
    assert (shown["my_rating"], shown["rating"]) == (5, {k: body[k] for k in shown["rating"]})


def test_a_second_five_star_rating_gives_the_worked_value_of_two(client):
    made = make_contribution()
    rate_many(made, [5])

    body = ok(rate(client, made.id, 5, make_user()))

    assert (body["count"], body["average"], body["histogram"]) == (2, 5.0, [0, 0, 0, 0, 2])
    assert body["score"] == pytest.approx(2.697, abs=0.001)
    assert fresh(Contribution, made.id).score == pytest.approx(2.697, abs=0.001)


def test_changing_a_rating_moves_the_histogram(client):
    made, member = make_contribution(), make_user()
    rate_many(made, [4])
    ok(rate(client, made.id, 5, member))

    body = ok(rate(client, made.id, 2, member))

    assert (body["count"], body["histogram"], body["my_rating"]) == (2, [0, 1, 0, 1, 0], 2)
    assert body["average"] == pytest.approx(3.0)
    assert fresh(Contribution, made.id).histogram == [0, 1, 0, 1, 0]
    assert sorted(stored_scores(made.id)) == [2, 4]


def test_withdrawing_a_rating_restores_the_unrated_summary(client):
    made, member = make_contribution(), make_user()
    ok(rate(client, made.id, 3, member))

    response = delete(client, f"/contributions/{made.id}/rating", user=member)

    assert response.status_code == 204 and response.data == b""
    assert stored_scores(made.id) == []
    shown = ok(get(client, f"/contributions/{made.id}", user=member))
    assert shown["my_rating"] is None
    assert shown["rating"]["average"] is None
    assert (shown["rating"]["count"], shown["rating"]["histogram"]) == (0, [0] * 5)
    assert shown["rating"]["score"] == pytest.approx(2.047, abs=0.001)
    assert fresh(Contribution, made.id).rating_count == 0


def test_withdrawing_a_rating_that_does_not_exist_changes_nothing(client):
    made = make_contribution()
    rate_many(made, [4])
    assert delete(client, f"/contributions/{made.id}/rating", user=make_user()).status_code == 204
    assert fresh(Contribution, made.id).histogram == [0, 0, 0, 1, 0]


def test_a_member_cannot_rate_their_own_contribution(client):
    author = make_user()
    made = make_contribution(author=author)
    assert_error(rate(client, made.id, 5, author), 403)
    assert_error(delete(client, f"/contributions/{made.id}/rating", user=author), 403)
    assert stored_scores(made.id) == []
    assert fresh(Contribution, made.id).rating_count == 0


def test_a_score_is_a_whole_number_from_1_to_5(client):
    made, member = make_contribution(), make_user()
    scores = [0, 6, -1, 4.5, 5.0, "5", None, True, [5], {"v": 5}]
    cases = {repr(score): (score, "score") for score in scores}

    seen = refusals(lambda case: rate(client, made.id, case[0], member), cases)

    assert seen == refused(cases)
    assert stored_scores(made.id) == []


# --- orders ---------------------------------------------------------------------------------


def test_forty_ratings_averaging_4_6_outrank_a_single_five(client):
    prompt = make_prompt()
    lucky, proven = answers(prompt, 2)
    rate_many(lucky, [5])
    rate_many(proven, [5] * 24 + [4] * 16)

    items = listing(client, prompt.id, "?sort=useful")

    assert ids(items) == [proven.id, lucky.id]
    assert items[0]["rating"]["average"] == pytest.approx(4.6)
    assert items[0]["rating"]["score"] > items[1]["rating"]["score"]
    assert ids(listing(client, prompt.id)) == ids(items)  # useful is the default


def test_contributions_sort_newest_and_oldest(client):
    prompt = make_prompt()
    made = answers(prompt, 3)
    rate_many(made[1], [5, 5])

    assert ids(listing(client, prompt.id, "?sort=newest")) == [c.id for c in reversed(made)]
    assert ids(listing(client, prompt.id, "?sort=oldest")) == [c.id for c in made]


def test_contributions_are_paged(client):
    prompt = make_prompt()
    made = answers(prompt, 3)
    body = ok(get(client, f"/prompts/{prompt.id}/contributions?sort=oldest&per_page=2&page=2"))
    assert_page(body, assert_contribution, page=2, per_page=2)
    assert (ids(body["items"]), body["total"]) == ([made[2].id], 3)


def test_contributions_are_filtered_by_key_point(client):
    prompt = make_prompt()
    trust, goals = (kp.id for kp in prompt.key_points)
    on_trust = make_contribution(prompt=prompt, key_point_id=trust)
    make_contribution(prompt=prompt, key_point_id=goals)
    make_contribution(prompt=prompt)

    items = listing(client, prompt.id, f"?key_point={trust}")

    assert ids(items) == [on_trust.id]
    assert items[0]["key_point_id"] == trust
    other_prompts_point = make_prompt().key_points[0].id
    assert_error(
        get(client, f"/prompts/{prompt.id}/contributions?key_point={other_prompts_point}"), 404
    )


def test_a_reader_sees_the_list_of_an_unknown_prompt_as_404(client):
    assert_error(get(client, "/prompts/424242/contributions"), 404)


def test_hidden_and_deleted_contributions_are_not_listed(client):
    prompt = make_prompt()
    shown, hidden, gone = answers(prompt, 3)
    moderator = make_moderator()
    moderation.hide(moderator, hidden, "spam")
    assert delete(client, f"/contributions/{gone.id}", user=moderator).status_code == 204

    for sort in ("useful", "newest", "oldest"):
        assert ids(listing(client, prompt.id, f"?sort={sort}", user=moderator)) == [shown.id]


# --- fair exposure and featured -------------------------------------------------------------


def test_the_newest_lightly_rated_answer_takes_position_3_labelled_new(client):
    prompt = make_prompt()
    a, b, c, d, e = answers(prompt, 5)
    rate_many(a, [5, 5])
    rate_many(b, [5])
    rate_many(c, [4])

    items = listing(client, prompt.id)

    assert ids(items) == [a.id, b.id, e.id, c.id, d.id]
    assert [item["is_new"] for item in items] == [False, False, True, False, False]
    for sort in ("newest", "oldest"):
        assert not any(item["is_new"] for item in listing(client, prompt.id, f"?sort={sort}"))
    assert ok(get(client, f"/contributions/{e.id}"))["is_new"] is False


def test_fair_exposure_skips_a_newcomer_already_in_the_top_three(client):
    prompt = make_prompt()
    a, b, c, d, e = answers(prompt, 5)
    rate_many(a, [5, 5, 5])
    rate_many(b, [5, 5])
    rate_many(e, [5, 5, 5, 5])

    items = listing(client, prompt.id)

    assert ids(items) == [e.id, a.id, d.id, b.id, c.id]
    assert [item["id"] for item in items if item["is_new"]] == [d.id]


def test_an_answer_with_five_ratings_is_no_newcomer(client):
    prompt = make_prompt()
    a, b, c, d = answers(prompt, 4)
    rate_many(d, [1] * 5)

    items = listing(client, prompt.id)

    assert ids(items) == [a.id, b.id, c.id, d.id]
    assert not any(item["is_new"] for item in items)


def test_with_fewer_than_four_answers_nothing_is_labelled_new(client):
    prompt = make_prompt()
    a, b, c = answers(prompt, 3)
    rate_many(a, [5])

    items = listing(client, prompt.id)

    assert ids(items) == [a.id, b.id, c.id]
    assert not any(item["is_new"] for item in items)


def test_a_featured_answer_is_badged_not_pinned(client):
    prompt = make_prompt()
    high, middle, low = answers(prompt, 3)
    rate_many(high, [5, 5])
    rate_many(middle, [5])
    before = ids(listing(client, prompt.id))
    moderation.set_featured(make_moderator(), low, True)

    items = listing(client, prompt.id)

    assert ids(items) == before == [high.id, middle.id, low.id]
    assert [item["featured"] for item in items] == [False, False, True]


# --- strategies -----------------------------------------------------------------------------


def strategies(client, query: str = "") -> list[dict]:
    def check(item):
        assert_contribution(item)
        assert_shape(item["prompt"], {"id": INT, "title": STR})

    return assert_page(ok(get(client, f"/strategies{query}")), check)


def test_strategies_gather_rated_answers_across_prompts_by_score(client):
    life, business = make_topic(), make_topic()
    trust_prompt = make_prompt(topic=life, tags=("trust",))
    sales_prompt = make_prompt(topic=business, tags=("sales",))
    best = make_contribution(prompt=sales_prompt, body="Ask first.")
    good = make_contribution(prompt=trust_prompt, body="Listen. #rapport")
    fair = make_contribution(prompt=trust_prompt, body="Mirror.")
    make_contribution(prompt=trust_prompt, body="Unrated")
    hidden = make_contribution(prompt=sales_prompt, body="Hidden")
    rate_many(best, [5, 5, 5])
    rate_many(good, [5, 5])
    rate_many(fair, [4])
    rate_many(hidden, [5, 5, 5, 5])
    moderation.hide(make_moderator(), hidden, "spam")

    items = strategies(client)

    assert ids(items) == [best.id, good.id, fair.id]
    assert items[0]["prompt"] == {"id": sales_prompt.id, "title": sales_prompt.title}
    assert ids(strategies(client, f"?topic={life.slug}")) == [good.id, fair.id]
    assert ids(strategies(client, "?tag=rapport")) == [good.id]
    assert ids(strategies(client, "?tag=sales")) == [best.id]
    assert ids(strategies(client, "?min_ratings=2")) == [best.id, good.id]
    assert len(strategies(client, "?min_ratings=0")) == 4
