"""Topics and prompts API: listing, creating, editing, the helpful rating and related reading."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, KeyPoint, Prompt, PromptRating, Topic
from forum.services import prompts
from tests.api.helpers import (
    HELPFUL,
    TOPIC,
    assert_error,
    assert_page,
    assert_prompt,
    assert_prompt_summary,
    assert_shape,
    delete,
    get,
    ids,
    ok,
    patch,
    post,
    put,
    refusals,
    refused,
)
from tests.factories import make_contribution, make_moderator, make_prompt, make_topic, make_user
from tests.helpers import fresh


def new_prompt_body(topic: Topic, /, **changes) -> dict:
    body = {
        "title": "Resistant clients: how do you unlock their motivation?",
        "intro": "Share **what worked**.",
        "topic": topic.slug,
        "key_points": [
            {"title": "Cultivate trust", "body": "Safety first."},
            {"title": "Ask powerful questions", "body": ""},
        ],
        "tags": ["motivation", "#Trust"],
    }
    return {**body, **changes}


def listed(client, query: str = "") -> list[int]:
    return ids(assert_page(ok(get(client, f"/prompts{query}")), assert_prompt_summary))


# --- topics ---------------------------------------------------------------------------------


def test_topics_are_listed_with_their_number_of_prompts(client):
    busy, quiet = make_topic(name="Business Coaching"), make_topic(name="Life Coaching")
    make_prompt(topic=busy)
    make_prompt(topic=busy)

    items = ok(get(client, "/topics"))["items"]

    for item in items:
        assert_shape(item, TOPIC)
    counts = {item["slug"]: item["prompt_count"] for item in items}
    assert counts == {busy.slug: 2, quiet.slug: 0}


def test_a_moderator_creates_a_topic(client):
    body = ok(
        post(
            client,
            "/topics",
            {"name": "Team Coaching", "description": "Groups."},
            user=make_moderator(),
        ),
        201,
    )

    assert_shape(body, TOPIC)
    assert (body["slug"], body["name"], body["prompt_count"]) == (
        "team-coaching",
        "Team Coaching",
        0,
    )
    row = db.session.scalar(select(Topic).where(Topic.slug == "team-coaching"))
    assert (row.name, row.description) == ("Team Coaching", "Groups.")


def test_a_topic_slug_can_be_chosen_but_not_reused(client):
    moderator = make_moderator()
    ok(post(client, "/topics", {"name": "Life", "slug": "life-coaching"}, user=moderator), 201)
    response = post(client, "/topics", {"name": "Other", "slug": "life-coaching"}, user=moderator)
    assert_error(response, 422, "slug")
    assert db.session.scalar(select(db.func.count(Topic.id))) == 1


def test_an_invalid_topic_is_a_422(client):
    moderator = make_moderator()
    cases = {
        "no name": ({}, "name"),
        "empty name": ({"name": ""}, "name"),
        "long name": ({"name": "n" * 81}, "name"),
        "numeric name": ({"name": 8}, "name"),
        "unknown field": ({"name": "A", "x": 1}, "x"),
    }

    seen = refusals(lambda case: post(client, "/topics", case[0], user=moderator), cases)

    assert seen == refused(cases)
    assert db.session.scalar(select(Topic.id)) is None


def test_a_member_cannot_create_a_topic(client):
    assert_error(post(client, "/topics", {"name": "Mine"}, user=make_user()), 403)
    assert db.session.scalar(select(Topic.id)) is None


# --- creating and reading prompts -----------------------------------------------------------


def test_a_moderator_creates_a_prompt_with_key_points_and_tags(client):
    topic = make_topic(name="Life Coaching")
    moderator = make_moderator(display_name="Mo")

    body = ok(post(client, "/prompts", new_prompt_body(topic), user=moderator), 201)

    assert_prompt(body)
    assert body["topic"] == {"slug": topic.slug, "name": "Life Coaching"}
    assert body["tags"] == ["motivation", "trust"]
    assert [(k["position"], k["title"]) for k in body["key_points"]] == [
        (1, "Cultivate trust"),
        (2, "Ask powerful questions"),
    ]
    assert "<strong>what worked</strong>" in body["intro_html"]
    assert body["author"] == {"username": moderator.username, "display_name": "Mo"}
    assert (body["status"], body["contribution_count"], body["helpful_yes"]) == ("open", 0, 0)
    assert body["url"].endswith(f"/prompts/{body['id']}/{body['slug']}")
    row = fresh(Prompt, body["id"])
    assert (row.title, row.topic_id, row.author_id) == (body["title"], topic.id, moderator.id)
    assert [k.id for k in row.key_points] == [k["id"] for k in body["key_points"]]


def test_a_prompt_is_readable_by_anyone(client):
    prompt = make_prompt(title="How do you set goals?")
    body = ok(get(client, f"/prompts/{prompt.id}"))
    assert_prompt(body)
    assert (body["id"], body["title"], body["my_rating"]) == (
        prompt.id,
        "How do you set goals?",
        None,
    )
    assert_error(get(client, "/prompts/424242"), 404)


def test_an_invalid_prompt_is_refused_with_422(client):
    topic, moderator = make_topic(), make_moderator()
    cases = {
        "long title": ({"title": "t" * 201}, "title"),
        "blank title": ({"title": "   "}, "title"),
        "numeric title": ({"title": 12}, "title"),
        "long intro": ({"intro": "i" * 10_001}, "intro"),
        "unknown topic": ({"topic": "no-such-topic"}, "topic"),
        "13 key points": ({"key_points": [{"title": f"P{n}"} for n in range(13)]}, "key_points"),
        "untitled key point": ({"key_points": [{"body": "no title"}]}, "key_points"),
        "11 tags": ({"tags": [f"tag{n}" for n in range(11)]}, "tags"),
        "bad tag": ({"tags": ["not a tag!"]}, "tags"),
        "unknown status": ({"status": "closed"}, "status"),
        "unknown field": ({"pinned": True}, "pinned"),
    }

    def send(case):
        return post(client, "/prompts", new_prompt_body(topic, **case[0]), user=moderator)

    assert refusals(send, cases) == refused(cases)
    assert db.session.scalar(select(Prompt.id)) is None


def test_the_limits_themselves_are_allowed(client):
    topic = make_topic()
    body = new_prompt_body(
        topic,
        title="t" * 200,
        key_points=[{"title": f"Point {n}"} for n in range(12)],
        tags=[f"tag{n}" for n in range(10)],
    )
    created = ok(post(client, "/prompts", body, user=make_moderator()), 201)
    assert (len(created["key_points"]), len(created["tags"])) == (12, 10)


def test_a_member_cannot_create_a_prompt(client):
    response = post(client, "/prompts", new_prompt_body(make_topic()), user=make_user())
    assert_error(response, 403)
    assert db.session.scalar(select(Prompt.id)) is None


# --- editing prompts ------------------------------------------------------------------------


def test_a_moderator_edits_a_prompt_and_locks_it(client):
    prompt = make_prompt(title="Old title")
    other_topic = make_topic(name="Other")

    body = ok(
        patch(
            client,
            f"/prompts/{prompt.id}",
            {
                "title": "New title",
                "topic": other_topic.slug,
                "tags": ["fresh"],
                "status": "locked",
            },
            user=make_moderator(),
        )
    )

    assert_prompt(body)
    assert (body["title"], body["slug"], body["status"]) == ("New title", "new-title", "locked")
    assert (body["topic"]["slug"], body["tags"]) == (other_topic.slug, ["fresh"])
    row = fresh(Prompt, prompt.id)
    assert (row.title, row.status, row.topic_id, row.tag_names) == (
        "New title",
        "locked",
        other_topic.id,
        ["fresh"],
    )


def test_editing_key_points_keeps_the_ids_of_existing_points(client):
    prompt = make_prompt(key_points=[("Trust", "a"), ("Goals", "b")])
    trust, goals = (kp.id for kp in prompt.key_points)
    answer = make_contribution(prompt=prompt, key_point_id=goals)
    points = [
        {"id": goals, "title": "Goals, reworded", "body": "b"},
        {"id": trust, "title": "Trust", "body": "a"},
        {"title": "Follow up", "body": "c"},
    ]

    body = ok(patch(client, f"/prompts/{prompt.id}", {"key_points": points}, user=make_moderator()))

    got = [(k["id"], k["position"], k["title"]) for k in body["key_points"]]
    assert got[:2] == [(goals, 1, "Goals, reworded"), (trust, 2, "Trust")]
    assert got[2][1:] == (3, "Follow up") and got[2][0] not in (trust, goals)
    assert fresh(KeyPoint, goals).title == "Goals, reworded"
    assert fresh(Contribution, answer.id).key_point_id == goals


def test_editing_key_points_without_ids_keeps_them_by_position(client):
    prompt = make_prompt(key_points=[("Trust", "a"), ("Goals", "b")])
    before = [kp.id for kp in prompt.key_points]
    points = [{"title": "Trust!"}, {"title": "Goals!"}]

    body = ok(patch(client, f"/prompts/{prompt.id}", {"key_points": points}, user=make_moderator()))

    assert [k["id"] for k in body["key_points"]] == before
    assert [k["title"] for k in body["key_points"]] == ["Trust!", "Goals!"]


def test_a_key_point_id_given_twice_is_refused(client):
    prompt = make_prompt(key_points=[("Trust", "a"), ("Goals", "b")])
    trust = prompt.key_points[0].id
    points = [{"id": trust, "title": "One"}, {"id": trust, "title": "Two"}]

    response = patch(client, f"/prompts/{prompt.id}", {"key_points": points}, user=make_moderator())

    assert_error(response, 422, "key_points")
    assert [(k.position, k.title) for k in fresh(Prompt, prompt.id).key_points] == [
        (1, "Trust"),
        (2, "Goals"),
    ]


def test_a_member_cannot_edit_a_prompt(client):
    prompt = make_prompt(title="Same")
    assert_error(patch(client, f"/prompts/{prompt.id}", {"title": "Mine"}, user=make_user()), 403)
    assert fresh(Prompt, prompt.id).title == "Same"


def test_editing_an_unknown_prompt_is_a_404(client):
    assert_error(patch(client, "/prompts/424242", {"title": "x"}, user=make_moderator()), 404)


# --- listing --------------------------------------------------------------------------------


def test_prompts_are_listed_as_a_page_of_summaries(client):
    made = [make_prompt() for _ in range(3)]

    body = ok(get(client, "/prompts?per_page=2&page=2&sort=newest"))

    items = assert_page(body, assert_prompt_summary, page=2, per_page=2)
    assert body["total"] == 3
    assert ids(items) == [made[0].id]
    assert "intro" not in items[0] and "key_points" not in items[0]


def test_prompts_are_filtered_by_topic_and_by_tag(client):
    life, business = make_topic(), make_topic()
    a = make_prompt(topic=life, tags=("trust",))
    b = make_prompt(topic=life, tags=("goals",))
    c = make_prompt(topic=business, tags=("trust", "goals"))

    assert sorted(listed(client, f"?topic={life.slug}")) == [a.id, b.id]
    assert sorted(listed(client, "?tag=trust")) == [a.id, c.id]
    assert listed(client, f"?topic={life.slug}&tag=goals") == [b.id]
    assert listed(client, "?tag=nothing-tagged") == []


def test_prompts_sort_by_newest_activity_and_helpfulness(client):
    first, second, third = (make_prompt() for _ in range(3))
    make_contribution(prompt=first)  # the oldest prompt is now the most active
    for _ in range(3):
        prompts.rate_prompt(make_user(), second, True)
    prompts.rate_prompt(make_user(), third, True)

    assert listed(client, "?sort=newest") == [third.id, second.id, first.id]
    assert listed(client, "?sort=active")[0] == first.id
    assert listed(client) == listed(client, "?sort=active")
    assert listed(client, "?sort=top") == [second.id, third.id, first.id]


def test_bad_list_parameters_are_a_400(client):
    cases = {
        query: (query, query.split("=")[0])
        for query in [
            "per_page=0",
            "per_page=101",
            "page=0",
            "page=x",
            "sort=bogus",
            "per_page=1.5",
        ]
    }
    seen = refusals(lambda case: get(client, f"/prompts?{case[0]}"), cases)
    assert seen == refused(cases, 400)


def test_the_largest_page_size_is_accepted(client):
    make_prompt()
    assert ok(get(client, "/prompts?per_page=100"))["per_page"] == 100


# --- the helpful rating ---------------------------------------------------------------------


def rate_helpful(client, prompt_id: int, helpful, user):
    return put(client, f"/prompts/{prompt_id}/rating", {"helpful": helpful}, user=user)


def stored_vote(prompt_id: int, user) -> bool | None:
    db.session.expire_all()
    return db.session.scalar(
        select(PromptRating.helpful).where(
            PromptRating.prompt_id == prompt_id, PromptRating.user_id == user.id
        )
    )


def test_a_member_rates_a_prompt_helpful_changes_their_mind_and_withdraws(client):
    prompt, member = make_prompt(), make_user()
    prompts.rate_prompt(make_user(), prompt, True)

    body = ok(rate_helpful(client, prompt.id, True, member))
    assert_shape(body, HELPFUL)
    assert body == {"helpful_yes": 2, "helpful_no": 0, "my_rating": True}
    assert stored_vote(prompt.id, member) is True

    assert ok(rate_helpful(client, prompt.id, False, member)) == {
        "helpful_yes": 1,
        "helpful_no": 1,
        "my_rating": False,
    }
    assert ok(get(client, f"/prompts/{prompt.id}", user=member))["my_rating"] is False

    response = delete(client, f"/prompts/{prompt.id}/rating", user=member)
    assert response.status_code == 204 and response.data == b""
    assert stored_vote(prompt.id, member) is None
    row = fresh(Prompt, prompt.id)
    assert (row.helpful_yes, row.helpful_no) == (1, 0)
    shown = ok(get(client, f"/prompts/{prompt.id}", user=member))
    assert (shown["helpful_yes"], shown["helpful_no"], shown["my_rating"]) == (1, 0, None)


def test_a_helpful_rating_is_true_or_false(client):
    prompt, member = make_prompt(), make_user()
    cases = {repr(value): (value, "helpful") for value in ["yes", None, 1, 0, "true", {}]}

    seen = refusals(lambda case: rate_helpful(client, prompt.id, case[0], member), cases)

    assert seen == refused(cases)
    assert stored_vote(prompt.id, member) is None


def test_rating_a_prompt_needs_a_token_and_an_existing_prompt(client):
    prompt = make_prompt()
    assert_error(rate_helpful(client, prompt.id, True, None), 401)
    assert_error(rate_helpful(client, 424242, True, make_user()), 404)
    assert_error(delete(client, "/prompts/424242/rating", user=make_user()), 404)
    assert fresh(Prompt, prompt.id).helpful_yes == 0


# --- related reading ------------------------------------------------------------------------


def test_related_prompts_are_at_most_five_others(client):
    topic = make_topic()
    prompt = make_prompt(topic=topic, tags=("trust",))
    others = {make_prompt(topic=make_topic(), tags=("trust",)).id}
    others |= {make_prompt(topic=topic, tags=("other",)).id for _ in range(6)}

    items = ok(get(client, f"/prompts/{prompt.id}/related"))["items"]

    for item in items:
        assert_prompt_summary(item)
    assert len(items) == 5
    assert len(set(ids(items))) == 5
    assert set(ids(items)) <= others
    assert_error(get(client, "/prompts/424242/related"), 404)
