"""Moderators write and edit prompts with key points; members cannot."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.models import Contribution, KeyPoint, Prompt
from tests.factories import make_contribution, make_moderator, make_prompt, make_topic, make_user
from tests.helpers import fresh, page_text


def prompt_form(**fields) -> dict:
    data = {
        "title": "How do you open a first session?",
        "intro": "Share your *first ten minutes*.",
        "topic": "life-coaching",
        "tags": "first-session, Trust",
    }
    data.update(fields)
    return data


def test_a_moderator_publishes_a_prompt_with_ordered_key_points(client, login):
    make_topic(name="Life Coaching", slug="life-coaching")
    login(make_moderator())
    form = client.get("/prompts/new")
    assert form.status_code == 200
    assert 'name="key_points-0-title"' in form.text and 'name="key_points-2-title"' in form.text
    response = client.post(
        "/prompts/new",
        data=prompt_form(
            **{
                "key_points-0-title": "Build rapport",
                "key_points-0-body": "Listen first.",
                "key_points-1-title": "",
                "key_points-1-body": "",
                "key_points-2-title": "Agree on goals",
                "key_points-2-body": "",
            }
        ),
    )
    assert response.status_code == 302
    prompt = db.session.query(Prompt).one()
    assert response.headers["Location"] == f"/prompts/{prompt.id}/{prompt.slug}"
    assert [(kp.position, kp.title) for kp in prompt.key_points] == [
        (1, "Build rapport"),
        (2, "Agree on goals"),
    ]
    assert prompt.tag_names == ["first-session", "trust"]
    page = client.get(response.headers["Location"])
    text = page_text(page)
    assert "How do you open a first session?" in text
    assert "<em>first ten minutes</em>" in page.text
    assert text.index("Build rapport") < text.index("Agree on goals")
    assert "The prompt is published." in text


def test_a_prompt_without_a_title_is_sent_back_with_the_reason(client, login):
    make_topic(slug="life-coaching")
    login(make_moderator())
    response = client.post("/prompts/new", data=prompt_form(title=""))
    assert response.status_code == 422
    assert 'id="title-error">' in response.text
    assert db.session.query(Prompt).count() == 0


def test_bad_tags_and_key_points_are_explained_on_the_form(client, login):
    make_topic(slug="life-coaching")
    login(make_moderator())
    response = client.post(
        "/prompts/new",
        data=prompt_form(tags="ok, 9lives", **{"key_points-0-body": "A body without a title"}),
    )
    assert response.status_code == 422
    assert 'id="tags-error">' in response.text
    assert "is not a tag" in page_text(response)
    assert db.session.query(Prompt).count() == 0


def test_a_moderator_edits_a_prompt_its_key_points_and_locks_it(client, login):
    moderator = make_moderator()
    prompt = make_prompt(author=moderator, title="Old title")
    trust_id, goals_id = (kp.id for kp in prompt.key_points)
    answer = make_contribution(prompt=prompt, key_point_id=goals_id)
    login(moderator)
    form = client.get(f"/prompts/{prompt.id}/edit")
    assert 'value="Old title"' in form.text
    assert f'value="{trust_id}"' in form.text
    response = client.post(
        f"/prompts/{prompt.id}/edit",
        data={
            "title": "New title",
            "intro": "New intro.",
            "topic": prompt.topic.slug,
            "tags": "coaching",
            "status": "locked",
            "key_points-0-point_id": str(trust_id),
            "key_points-0-title": "",
            "key_points-0-body": "",
            "key_points-1-point_id": str(goals_id),
            "key_points-1-title": "Set smaller goals",
            "key_points-1-body": "Tiny ones.",
            "key_points-2-point_id": "",
            "key_points-2-title": "Celebrate progress",
            "key_points-2-body": "",
        },
    )
    assert response.status_code == 302
    stored = fresh(Prompt, prompt.id)
    assert stored.title == "New title" and stored.status == "locked"
    assert [kp.title for kp in stored.key_points] == ["Set smaller goals", "Celebrate progress"]
    assert stored.key_points[0].id == goals_id  # answers keep their key point
    assert fresh(Contribution, answer.id).key_point_id == goals_id
    assert db.session.get(KeyPoint, trust_id) is None
    text = page_text(client.get(response.headers["Location"]))
    assert "This prompt is locked." in text
    assert "Set smaller goals" in text


def test_a_member_may_not_open_or_send_the_prompt_forms(client, login):
    make_topic(slug="life-coaching")
    prompt = make_prompt(title="Unchanged")
    login(make_user())
    assert client.get("/prompts/new").status_code == 403
    assert client.post("/prompts/new", data=prompt_form()).status_code == 403
    assert client.get(f"/prompts/{prompt.id}/edit").status_code == 403
    refused = client.post(f"/prompts/{prompt.id}/edit", data=prompt_form(title="Hacked"))
    assert refused.status_code == 403
    assert "You cannot do that here" in page_text(refused)
    assert fresh(Prompt, prompt.id).title == "Unchanged"
    assert db.session.query(Prompt).count() == 1


def test_a_reader_is_sent_to_log_in_before_writing_a_prompt(client):
    response = client.get("/prompts/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fprompts%2Fnew"


def test_editing_a_missing_prompt_is_a_404(client, login):
    login(make_moderator())
    assert client.get("/prompts/999/edit").status_code == 404


def test_a_new_prompt_starts_on_choose_a_topic_and_is_not_published_without_one(client, login):
    make_topic(name="Executive Coaching", slug="executive-coaching")
    make_topic(name="Life Coaching", slug="life-coaching")
    login(make_moderator())
    form = client.get("/prompts/new")
    select = re.search(r'<select[^>]*name="topic"[^>]*>(.*?)</select>', form.text, re.S)
    assert "required" in select.group(0)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select.group(1))
    assert options[0][1] == "Choose a topic" and 'value=""' in options[0][0]
    assert not any("selected" in attrs for attrs, _ in options[1:])

    response = client.post("/prompts/new", data=prompt_form(topic=""))
    assert response.status_code == 422
    assert 'id="topic-error">Choose a topic for the prompt.' in response.text
    assert 'value="How do you open a first session?"' in response.text  # nothing typed is lost
    assert db.session.query(Prompt).count() == 0


def test_editing_a_prompt_keeps_its_topic_selected(client, login):
    moderator = make_moderator()
    make_topic(name="Aardvark Coaching", slug="aardvark")  # first in the list, not the prompt's
    prompt = make_prompt(author=moderator)
    login(moderator)
    form = client.get(f"/prompts/{prompt.id}/edit")
    selected = re.findall(r'<option selected value="([^"]*)"', form.text)
    selected += re.findall(r'<option value="([^"]*)" selected', form.text)
    assert prompt.topic.slug in selected
