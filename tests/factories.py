"""Test data, made through the services so every counter stays true. Keyword-only options."""

from __future__ import annotations

import itertools

from forum.extensions import db
from forum.models import Topic, User
from forum.services import accounts, contributions, prompts, ratings

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(
    *,
    username: str | None = None,
    role: str = "member",
    password: str = PASSWORD,
    display_name: str | None = None,
    suspended: bool = False,
) -> User:
    n = next(_seq)
    username = username or f"member{n}"
    user = accounts.register(username, f"{username}@example.org", password, display_name, role=role)
    if suspended:
        user.status = "suspended"
        user.suspension_reason = "test"
        db.session.commit()
    return user


def make_moderator(**options) -> User:
    return make_user(role="moderator", **options)


def make_admin(**options) -> User:
    return make_user(role="admin", **options)


def make_topic(*, name: str | None = None, slug: str | None = None) -> Topic:
    n = next(_seq)
    topic = Topic(name=name or f"Topic {n}", slug=slug or f"topic-{n}", description="About it.")
    db.session.add(topic)
    db.session.commit()
    return topic


def make_prompt(
    *,
    title: str | None = None,
    topic: Topic | None = None,
    author: User | None = None,
    key_points=(("Cultivate trust", "Safety first."), ("Set goals", "Small ones.")),
    tags=("coaching",),
    status: str = "open",
    intro: str = "Tell us what worked.",
):
    topic = topic or make_topic()
    author = author or make_moderator()
    prompt = prompts.create_prompt(
        author,
        title=title or f"Prompt {next(_seq)}: how do you keep clients motivated?",
        intro=intro,
        topic=topic.slug,
        key_points=[{"title": t, "body": b} for t, b in key_points],
        tags=list(tags),
    )
    if status != "open":
        prompts.update_prompt(author, prompt, status=status)
    return prompt


def make_contribution(
    *,
    prompt=None,
    author: User | None = None,
    body: str = "What worked for me: small steps. #goals",
    key_point_id=None,
):
    prompt = prompt or make_prompt()
    author = author or make_user()
    return contributions.create_contribution(author, prompt, body, key_point_id)


def rate_many(contribution, scores) -> None:
    """One new member per score rates the contribution."""
    for score in scores:
        ratings.rate(make_user(), contribution, score)


def token_for(user: User) -> str:
    _, secret = accounts.create_token(user, "tests")
    return secret


def auth(user: User) -> dict[str, str]:
    """Headers that authenticate as this user on the API."""
    return {"Authorization": f"Bearer {token_for(user)}"}
