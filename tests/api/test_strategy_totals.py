"""The strategies list's total stays exact while it is counted once per topic version: every
change that alters how many rated strategies a topic holds shows in the next answer, and a
repeat visit with nothing changed counts nothing."""

from __future__ import annotations

import contextlib

from sqlalchemy import func, select, text

from forum.extensions import db
from forum.models import Contribution, Prompt
from forum.services import contributions, moderation, prompts, ratings, recount
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
    rate_many,
)
from tests.helpers import statements_during


def total(client, **query) -> int:
    response = client.get("/api/v1/strategies", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["total"]


def counted(topic=None) -> int:
    """The total counted afresh, as the list's own filter reads it."""
    query = select(func.count(Contribution.id)).where(
        Contribution.status == "visible", Contribution.rating_count >= 1
    )
    if topic is not None:
        query = query.join(Prompt, Prompt.id == Contribution.prompt_id).where(
            Prompt.topic_id == topic.id
        )
    return db.session.scalar(query)


@contextlib.contextmanager
def counts_sent():
    """The statements counting contributions that the block sends."""
    counted: list[str] = []
    with statements_during() as sent:
        yield counted
    counted += [s for s in sent if "count(" in s.lower() and "contributions" in s]


def both(client, topic):
    return total(client), total(client, topic=topic.slug)


def test_totals_follow_first_ratings_hides_restores_and_last_ratings(client):
    coaching, other = make_topic(), make_topic()
    prompt = make_prompt(topic=coaching)
    first, second = make_contribution(prompt=prompt), make_contribution(prompt=prompt)
    elsewhere = make_contribution(prompt=make_prompt(topic=other))
    rate_many(elsewhere, [4])
    assert both(client, coaching) == (1, 0)

    rate_many(first, [5])  # its first rating: in the list now
    assert both(client, coaching) == (2, 1)
    rate_many(first, [3, 4])  # more ratings: the same strategy, the same totals
    rate_many(second, [2])
    assert both(client, coaching) == (3, 2)

    moderator = make_moderator()
    moderation.hide(moderator, first, "Off topic")
    assert both(client, coaching) == (2, 1)
    moderation.restore(moderator, first)
    assert both(client, coaching) == (3, 2)

    rater = make_user()
    ratings.rate(rater, second, 4)  # second now has two ratings
    ratings.unrate(rater, second)
    assert both(client, coaching) == (3, 2)
    only = db.session.scalar(select(Contribution).where(Contribution.id == second.id))
    assert only.rating_count == 1
    # Its last rating withdrawn: the strategy leaves the list.
    (first_rater,) = db.session.execute(
        text("SELECT user_id FROM ratings WHERE contribution_id = :c"), {"c": second.id}
    ).scalars()
    ratings.unrate(db.session.get(type(rater), first_rater), second)
    assert both(client, coaching) == (2, 1)
    assert (total(client), total(client, topic=coaching.slug)) == (counted(), counted(coaching))


def test_a_prompt_moved_to_another_topic_takes_its_strategies_along(client):
    coaching, leadership = make_topic(), make_topic()
    prompt = make_prompt(topic=coaching)
    rate_many(make_contribution(prompt=prompt), [5])
    rate_many(make_contribution(prompt=prompt), [4])
    assert (total(client, topic=coaching.slug), total(client, topic=leadership.slug)) == (2, 0)

    prompts.update_prompt(prompt.author, prompt, topic=leadership.slug)
    assert (total(client, topic=coaching.slug), total(client, topic=leadership.slug)) == (0, 2)
    assert total(client) == 2


def test_an_author_deleting_a_rated_strategy_takes_it_off_the_total(client):
    topic = make_topic()
    contribution = make_contribution(prompt=make_prompt(topic=topic))
    rate_many(contribution, [5, 4])
    assert both(client, topic) == (1, 1)
    contributions.delete_contribution(contribution.author, contribution)
    assert both(client, topic) == (0, 0)


def test_recount_fixing_ratings_by_sql_moves_the_totals(client, app):
    topic = make_topic()
    contribution = make_contribution(prompt=make_prompt(topic=topic))
    assert both(client, topic) == (0, 0)
    # A rating row written behind the services' back (as a restore from backup might): the
    # contribution's counters say unrated until recount fixes them.
    db.session.execute(
        text("INSERT INTO ratings (user_id, contribution_id, score, created_at, updated_at)"
             " VALUES (:u, :c, 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
        {"u": make_user().id, "c": contribution.id},
    )  # fmt: skip
    db.session.commit()
    assert both(client, topic) == (0, 0)
    recount.recount()
    assert both(client, topic) == (1, 1)


def test_a_repeat_visit_counts_nothing_and_later_ratings_keep_the_count(client):
    topic = make_topic()
    contribution = make_contribution(prompt=make_prompt(topic=topic))
    rate_many(contribution, [5])
    assert both(client, topic) == (1, 1)

    with counts_sent() as sent:
        assert both(client, topic) == (1, 1)
        assert client.get("/strategies").status_code == 200
        rate_many(contribution, [4, 3])  # not its first rating: the totals stand
        assert both(client, topic) == (1, 1)
    assert sent == []

    # A new, unrated contribution is in no total either.
    with counts_sent() as sent:
        make_contribution(prompt=contribution.prompt)
        assert both(client, topic) == (1, 1)
    assert sent == []


def test_other_filters_are_counted_as_asked(client):
    topic = make_topic()
    prompt = make_prompt(topic=topic)
    rate_many(make_contribution(prompt=prompt), [5, 5])
    rate_many(make_contribution(prompt=prompt), [4])
    make_contribution(prompt=prompt)
    assert total(client) == 2
    assert total(client, min_ratings=2) == 1
    assert total(client, min_ratings=0) == 3
    assert total(client, tag="goals") == 2
