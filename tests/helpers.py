"""Plain functions every suite shares: reading pages and rows back, the members of a permission
matrix and the world they act on, credentials, and the services a test may need."""

from __future__ import annotations

import base64
import html
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from forum.extensions import db
from forum.models import SearchOutbox
from forum.services import accounts, comments, moderation
from tests.factories import (
    PASSWORD,
    make_admin,
    make_contribution,
    make_moderator,
    make_prompt,
    make_topic,
    make_user,
)

REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"

# --- pages and rows -------------------------------------------------------------------------

INLINE_TAG = re.compile(r"</?(a|abbr|b|code|em|i|mark|span|strong|time)\b[^>]*>")


def page_text(response) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    markup = response.get_data(as_text=True)
    text = INLINE_TAG.sub("", markup)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def prompt_page(client, prompt, query: str = ""):
    """The prompt's page, at its canonical address (`query` such as "?sort=newest")."""
    return client.get(f"/prompts/{prompt.id}/{prompt.slug}{query}")


def csrf_token(response) -> str:
    """The CSRF token a page's forms carry."""
    return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)


def fresh(model, ident):
    """A row as the database now holds it, ignoring anything this test's session cached
    (requests commit in sessions of their own)."""
    db.session.expire_all()
    return db.session.get(model, ident)


def outbox_rows() -> int:
    """Changes waiting in the search outbox."""
    return db.session.scalar(select(func.count(SearchOutbox.id)))


# --- who acts, and on what ------------------------------------------------------------------


def make_actor(role: str):
    """An account in one of the roles of a permission matrix (None for an anonymous reader)."""
    if role == "anonymous":
        return None
    if role == "member whose suspension has expired":
        user = make_user(suspended=True)
        user.suspended_until = datetime.now(UTC) - timedelta(hours=1)
        db.session.commit()
        return user
    return {
        "member": make_user,
        "suspended member": lambda: make_user(suspended=True),
        "moderator": make_moderator,
        "suspended moderator": lambda: make_moderator(suspended=True),
        "admin": make_admin,
    }[role]()


def build_world() -> SimpleNamespace:
    """What the API's operations act on: a topic and its prompt, a member's flagged contribution,
    a moderator with a spare token, and the value of each path parameter."""
    topic = make_topic()
    moderator = make_moderator()
    member = make_user()
    prompt = make_prompt(topic=topic, title="Original title")
    contribution = make_contribution(prompt=prompt, author=member)
    flag = moderation.flag(make_user(), contribution, "spam")
    comment = comments.create_comment(make_user(), contribution, "A question to the author")
    spare_token, _ = accounts.create_token(moderator, "spare")
    return SimpleNamespace(
        topic=topic,
        moderator=moderator,
        member=member,
        prompt=prompt,
        contribution=contribution,
        flag=flag,
        comment=comment,
        path_values={
            "prompt_id": prompt.id,
            "contribution_id": contribution.id,
            "flag_id": flag.id,
            "comment_id": comment.id,
            "token_id": spare_token.id,
            "username": member.username,
        },
    )


# --- credentials and services ---------------------------------------------------------------


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    """HTTP Basic headers for these credentials."""
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def redis_or_skip(url: str = REDIS_URL):
    """A connection to the test Redis; the test is skipped, saying why, when none answers."""
    import redis

    connection = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    return connection


@contextmanager
def statements_during(app=None) -> Iterator[list[str]]:
    """The SQL statements sent to the database while the block runs, in order (the app's
    engine: `app` when the block runs outside its context)."""
    if app is None:
        engine = db.engine
    else:
        with app.app_context():
            engine = db.engine
    sent: list[str] = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731 - the statement
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def statements_sent(app, request) -> list[str]:
    """The SQL statements serving `request()` sent to the database."""
    with statements_during(app) as sent:
        response = request()
    assert response.status_code == 200
    return sent
