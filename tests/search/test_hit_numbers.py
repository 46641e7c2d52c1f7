"""The numbers a search shows (usefulness, ratings, featured) are the current ones: read live by
the PostgreSQL engine, stored in the Whoosh index and kept in step through its outbox. Either way
SQL still has the last word on what may be seen."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, text

from forum.extensions import db
from forum.models import Prompt
from forum.ranking import UNRATED_SCORE, usefulness_unit
from forum.search import documents, get_engine
from forum.search.engine import Stored
from forum.search.query import parse
from forum.services import moderation, ratings
from tests.factories import make_contribution, make_moderator, make_prompt, make_user, rate_many
from tests.helpers import statements_during
from tests.search.helpers import search


def explain(body: dict, kind: str, ident: int) -> dict:
    return next(i for i in body["items"] if (i["type"], i["id"]) == (kind, ident))["explain"]


@pytest.fixture
def answer(app):
    prompt = make_prompt(title="Accountability", intro="Partners who check in weekly.")
    return make_contribution(prompt=prompt, body="Accountability partners, checked weekly.")


def test_a_search_after_a_rating_shows_the_new_usefulness_and_count(client, answer):
    before = explain(search(client, "accountability"), "contribution", answer.id)
    assert before["ratings"] == 0
    assert before["usefulness"] == pytest.approx(usefulness_unit(UNRATED_SCORE), abs=1e-4)

    rate_many(answer, [5, 5, 4])

    db.session.refresh(answer)
    body = search(client, "accountability")
    after = explain(body, "contribution", answer.id)
    assert after["ratings"] == 3
    assert after["usefulness"] == pytest.approx(usefulness_unit(answer.score), abs=1e-4)
    prompt_u = documents.prompt_usefulness([answer.prompt_id])[answer.prompt_id]
    assert explain(body, "prompt", answer.prompt_id)["usefulness"] == pytest.approx(
        prompt_u, abs=1e-4
    )


def test_a_removed_rating_and_an_editors_pick_show_in_the_next_search(client, answer):
    rater = make_user()
    ratings.rate(rater, answer, 5)
    moderation.set_featured(make_moderator(), answer, True)
    shown = explain(search(client, "accountability"), "contribution", answer.id)
    assert (shown["ratings"], shown["featured"]) == (1, True)

    ratings.unrate(rater, answer)
    moderation.set_featured(make_moderator(), answer, False)

    shown = explain(search(client, "accountability"), "contribution", answer.id)
    assert (shown["ratings"], shown["featured"]) == (0, False)
    assert shown["usefulness"] == pytest.approx(usefulness_unit(UNRATED_SCORE), abs=1e-4)


@pytest.mark.whoosh_only
def test_whoosh_hits_carry_the_numbers_the_index_stored(app, answer):
    rate_many(answer, [4, 2])
    moderation.set_featured(make_moderator(), answer, True)
    db.session.refresh(answer)

    hits = {hit.key: hit for hit in get_engine().search(parse("accountability"), 10)}

    assert hits[f"c:{answer.id}"].stored == Stored(
        pytest.approx(usefulness_unit(answer.score)), 2, True
    )
    prompt_u = documents.prompt_usefulness([answer.prompt_id])[answer.prompt_id]
    assert hits[f"p:{answer.prompt_id}"].stored.usefulness == pytest.approx(prompt_u)


@pytest.mark.whoosh_only
def test_for_whoosh_hits_sql_is_asked_only_which_contributions_are_not_visible(client, answer):
    rate_many(answer, [5])
    with statements_during() as statements:
        search(client, "accountability")

    reads = [s for s in statements if "FROM contributions" in s]
    assert reads, statements
    assert all("rating_count" not in s and "score" not in s for s in reads), reads


@pytest.mark.parametrize("status", ["hidden", "deleted"])
def test_hits_with_stored_numbers_are_still_filtered_in_sql(
    client, answer, status, search_backend, monkeypatch
):
    """Whatever engine hands back numbers from an index, a hit hidden or deleted behind the
    index's back never shows (on PostgreSQL, its hits made to look like an index's)."""
    kept = make_contribution(prompt=answer.prompt, body="Accountability, kept visible.")
    engine = get_engine()
    hits = [
        replace(hit, current=None, stored=hit.stored or Stored(0.5, 1, False))
        for hit in engine.search(parse("accountability"), 200)
    ]
    monkeypatch.setattr(engine, "search", lambda parsed, limit: hits)
    db.session.execute(
        text("UPDATE contributions SET status = :status WHERE id = :id"),
        {"status": status, "id": answer.id},
    )
    db.session.commit()

    body = search(client, "accountability")

    shown = {(i["type"], i["id"]) for i in body["items"]}
    assert ("contribution", kept.id) in shown
    assert ("contribution", answer.id) not in shown
    assert ("prompt", answer.prompt_id) in shown
    assert body["total"] == len(body["items"]) == 2
    assert sum(body["facets"]["topics"].values()) == body["total"]


def test_a_prompt_deleted_behind_the_index_takes_its_contributions_out_of_the_results(
    client, answer
):
    other = make_contribution(body="Accountability elsewhere.")
    # Behind the outbox's back: the index still holds the prompt and its contribution.
    db.session.execute(delete(Prompt).where(Prompt.id == answer.prompt_id))
    db.session.commit()

    body = search(client, "accountability")

    assert {(i["type"], i["id"]) for i in body["items"]} == {("contribution", other.id)}
    assert body["total"] == 1
