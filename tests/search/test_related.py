"""More relevant reading under a prompt: GET /api/v1/prompts/{id}/related."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.search.postgres import similar as similar_module
from tests.factories import make_prompt, make_topic

TARGET = (
    "Delegating work to a team",
    "Delegate ownership of outcomes, agree deadlines, keep people accountable, avoid "
    "micromanaging.",
)
SIMILAR = [  # most alike first
    (
        "Handing over ownership",
        "Delegate ownership of outcomes; agree deadlines; accountable people need no "
        "micromanaging.",
    ),
    ("Deadlines that hold", "Delegate early and agree deadlines."),
    ("Being accountable", "Accountable leaders."),
]
UNRELATED = [
    ("Breathing before sessions", "Box breathing calms nerves."),
    ("Sleep and energy", "Regular bedtimes restore stamina."),
    ("Journaling prompts", "Evening pages capture insights."),
    ("Gratitude letters", "Thankfulness notes strengthen bonds."),
]


def prompt_about(topic, title: str, intro: str):
    return make_prompt(
        topic=topic, title=title, intro=intro, key_points=((title, ""),), tags=("leadership",)
    )


@pytest.fixture
def prompts(app):
    topic = make_topic()
    target = prompt_about(topic, *TARGET)
    # Unrelated prompts first, so neither id nor age could explain the order.
    unrelated = [prompt_about(topic, *texts) for texts in UNRELATED]
    similar = [prompt_about(topic, *texts) for texts in reversed(SIMILAR)][::-1]
    return target, similar, unrelated


def related_ids(client, prompt) -> list[int]:
    response = client.get(f"/api/v1/prompts/{prompt.id}/related")
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_related_reading_lists_the_most_textually_similar_prompts_first(client, prompts):
    target, similar, _ = prompts

    ids = related_ids(client, target)

    assert ids[:3] == [p.id for p in similar]


def test_related_reading_lists_at_most_five_other_prompts(client, prompts):
    target, similar, unrelated = prompts

    ids = related_ids(client, target)

    assert len(ids) == 5  # seven others share the topic and tag: the list is filled, then cut
    assert target.id not in ids
    assert len(set(ids)) == len(ids)
    assert set(ids) <= {p.id for p in similar + unrelated}


def test_a_prompt_with_nothing_alike_still_gets_prompts_of_its_topic(client, app):
    topic = make_topic()
    lonely = prompt_about(topic, "Quiet reflection", "Solitude rewards patience.")
    neighbour = prompt_about(topic, "Team rituals", "Weekly retrospectives help.")

    assert related_ids(client, lonely) == [neighbour.id]


def test_the_prompt_page_links_the_same_related_reading_with_each_topic(client, prompts):
    target, similar, _ = prompts
    page = client.get(f"/prompts/{target.id}/{target.slug}").get_data(as_text=True)
    section = page[page.index('id="related-heading"') :]
    links = re.findall(
        r'<a href="/prompts/(\d+)/[^"]*">([^<]*)</a> <span class="meta">([^<]*)<', section
    )

    assert [int(i) for i, _, _ in links] == related_ids(client, target)
    assert [title for _, title, _ in links[:3]] == [p.title for p in similar]
    assert {topic for _, _, topic in links} == {target.topic.name}


def test_related_reading_picks_the_best_among_many_alike_prompts(client, app):
    """More prompts sharing the prompt's one telling word than the list shows: the engine
    chooses among them (skipping the weaker ones), and never fails."""
    topic = make_topic()
    target = prompt_about(topic, "Reframing 0", "")
    alike = [prompt_about(topic, f"Reframing {n}", "") for n in range(1, 13)]

    ids = related_ids(client, target)

    assert len(ids) == 5
    assert set(ids) <= {p.id for p in alike}


def test_related_reading_keeps_its_order_once_the_database_has_statistics(
    client, prompts, app, monkeypatch
):
    """PostgreSQL weighs a prompt's words by how common they are from the planner's statistics
    once ANALYZE (or autovacuum) has gathered them, and by counting before: same order."""
    target, similar, _ = prompts
    monkeypatch.setattr(similar_module, "TRUSTED_FROM", 1)  # statistics of these few prompts
    with app.app_context():
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            gathered = db.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                    "AND tablename = 'prompts' AND attname = 'search_vector' "
                    "AND most_common_elems IS NOT NULL"
                )
            )
            assert gathered == 1

    ids = related_ids(client, target)

    assert ids[:3] == [p.id for p in similar]


def test_related_reading_holds_when_the_statistics_are_older_than_the_prompts(client, app):
    """Statistics gathered while the forum held one prompt say every word is in every prompt;
    they are not trusted, and the prompts alike are still found."""
    topic = make_topic()
    prompt_about(topic, "Delegating", "Delegate ownership.")
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    target = prompt_about(topic, *TARGET)
    for texts in UNRELATED:
        prompt_about(topic, *texts)
    similar = [prompt_about(topic, *texts) for texts in SIMILAR]

    ids = related_ids(client, target)

    assert ids[0] == similar[0].id
    assert set(ids[:3]) <= {p.id for p in similar} | {target.id - 1}
