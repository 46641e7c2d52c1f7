"""What a search hit shows to choose by (docs/api.md, "Search"): who wrote it and, for a
contribution, its ratings, as its own page counts them; read once for the page, not per hit."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import User
from forum.services import accounts
from tests.factories import (
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
    rate_many,
)
from tests.helpers import statements_during
from tests.search.helpers import search


def hit(body: dict, kind: str, ident: int) -> dict:
    return next(i for i in body["items"] if (i["type"], i["id"]) == (kind, ident))


@pytest.fixture
def tom(app):
    return make_moderator(username="tom", display_name="Tom Becker")


@pytest.fixture
def cancels(app, tom):
    """A prompt about clients who cancel sessions, asked by Tom, with one rated answer by Ana and
    one answer nobody rated yet."""
    prompt = make_prompt(title="When a client cancels sessions", author=tom)
    ana = make_user(username="ana", display_name="Ana Ruiz")
    rated = make_contribution(prompt=prompt, author=ana, body="Cancels: agree a rule first.")
    rate_many(rated, [5, 4, 4])
    unrated = make_contribution(prompt=prompt, body="Cancels happen; ask what changed.")
    return prompt, rated, unrated


def test_a_contribution_hit_carries_its_author_and_its_ratings(client, cancels):
    _, rated, _ = cancels

    shown = hit(search(client, "cancels"), "contribution", rated.id)

    assert shown["author"] == {"username": "ana", "display_name": "Ana Ruiz"}
    own = client.get(f"/api/v1/contributions/{rated.id}").get_json()["rating"]
    assert shown["rating"] == {"count": own["count"], "average": own["average"]}
    assert shown["rating"] == {"count": 3, "average": pytest.approx(13 / 3, abs=1e-3)}


def test_an_unrated_contribution_has_no_average(client, cancels):
    _, _, unrated = cancels

    shown = hit(search(client, "cancels"), "contribution", unrated.id)

    assert shown["rating"] == {"count": 0, "average": None}


def test_a_prompt_hit_carries_the_author_who_asked_it(client, cancels):
    prompt, _, _ = cancels

    shown = hit(search(client, "cancels"), "prompt", prompt.id)

    assert shown["author"] == {"username": "tom", "display_name": "Tom Becker"}
    assert shown["rating"] is None


def test_a_renamed_member_shows_the_new_name(client, cancels, tom):
    prompt, _, _ = cancels
    accounts.update_profile(tom, display_name="Thomas Becker")

    shown = hit(search(client, "cancels"), "prompt", prompt.id)

    assert shown["author"] == {"username": "tom", "display_name": "Thomas Becker"}


def test_a_member_whose_account_is_gone_still_shows_the_name_they_wrote_under(client, cancels):
    prompt, rated, _ = cancels
    for username in ("tom", "ana"):
        db.session.delete(db.session.scalar(db.select(User).filter_by(username=username)))
    db.session.commit()

    body = search(client, "cancels")

    assert hit(body, "prompt", prompt.id)["author"] == {
        "username": None,
        "display_name": "Tom Becker",
    }
    assert hit(body, "contribution", rated.id)["author"] == {
        "username": None,
        "display_name": "Ana Ruiz",
    }


def statements_counted(run) -> int:
    with statements_during() as sent:
        run()
    return len(sent)


def test_the_statements_per_page_do_not_grow_with_the_hits_on_it(app, client):
    topic = make_topic()
    for n in range(4):
        prompt = make_prompt(topic=topic, title=f"Sessions, case {n}")
        key_points = [kp.id for kp in prompt.key_points]
        for m in range(2):
            answer = make_contribution(
                prompt=prompt,
                author=make_user(),
                body=f"Sessions: answer {n}.{m}.",
                key_point_id=key_points[m],
            )
            rate_many(answer, [m + 3])
    search(client, "sessions")  # anything still queued reaches the index first

    body = search(client, "sessions", per_page=12)
    assert len(body["items"]) == 12
    assert all(item["author"]["username"] for item in body["items"])
    few = statements_counted(lambda: search(client, "sessions", per_page=3))
    many = statements_counted(lambda: search(client, "sessions", per_page=12))

    assert many == few
