"""Two app servers (separate gunicorn processes on different ports) against one PostgreSQL
database and one Redis, as the README's "Running several app servers" deploys them: rate limits
count requests to both together, and what one server writes the other reads at once.

Each run works in a PostgreSQL schema and under a Redis key prefix of its own, both removed
afterwards. Without a reachable PostgreSQL or Redis the tests skip and say which is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from itertools import cycle

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import LOCAL_POSTGRES_URL
from tests.helpers import REDIS_URL, basic, redis_or_skip
from tests.servers import ROOT, gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL") or LOCAL_POSTGRES_URL
LOGIN_LIMIT = 4  # failed sign-ins per client address per minute, over both servers
PASSWORD = "a long enough password"


def _postgres_or_skip():
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error.__class__.__name__}")
    return engine


def _in_schema(url: str, schema: str) -> str:
    """The database URL with every connection's search_path set to this schema."""
    options = urllib.parse.quote(f"-csearch_path={schema}")
    return f"{url}{'&' if '?' in url else '?'}options={options}"


def _flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two gunicorn app servers sharing one database schema and one Redis key prefix."""
    engine = _postgres_or_skip()
    redis = redis_or_skip()
    folder = tmp_path_factory.mktemp("two-servers")
    schema = f"scale_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    prefix = f"commonplace-scale-{uuid.uuid4().hex}"
    env = {
        "FORUM_DATABASE_URL": _in_schema(POSTGRES_URL, schema),
        "FORUM_REDIS_URL": REDIS_URL,
        "FORUM_RATELIMIT_KEY_PREFIX": prefix,
        "FORUM_RATELIMIT_ENABLED": "true",
        "FORUM_RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute",
        "FORUM_RATELIMIT_LOGIN_ACCOUNT": "100 per minute",
        "FORUM_PROXY_HOPS": "1",
        "FORUM_SECRET_KEY": f"scale-test-{uuid.uuid4().hex}",
        # One host here, so the Whoosh engine (when it serves search) can share its folder.
        "FORUM_SEARCH_PATH": str(folder / "search-index"),
    }
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        _flask(env, "db", "upgrade")  # once, before the servers start
        _flask(env, "users", "create", "boss", "--email", "boss@example.org",
               "--password", PASSWORD, "--role", "admin")  # fmt: skip
        with (
            gunicorn(env, folder / "first.log") as first,
            gunicorn(env, folder / "second.log") as second,
        ):
            yield first.url, second.url, redis, prefix
            for server in (first, second):
                assert "Traceback" not in server.log_text(), server.log_text()
    finally:
        for key in redis.scan_iter(f"*{prefix}*"):
            redis.delete(key)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def call(method: str, url: str, body=None, *, client: str, token=None, credentials=None):
    """One request as it arrives through the proxy: the client's address in X-Forwarded-For."""
    headers = {"X-Forwarded-For": client, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if credentials:
        headers.update(basic(*credentials))
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        return status, json.loads(raw or b"{}")
    except ValueError:
        return status, raw.decode()


def new_token(base: str, username: str, client: str) -> str:
    status, answer = call(
        "POST", f"{base}/api/v1/auth/tokens", {}, client=client, credentials=(username, PASSWORD)
    )
    assert status == 201, answer
    return answer["token"]


def test_failed_sign_ins_are_counted_over_both_servers_not_per_server(servers):
    first, second, redis, prefix = servers
    bases = cycle([first, second])

    def guess(client: str) -> int:
        url = f"{next(bases)}/api/v1/auth/tokens"
        return call("POST", url, {}, client=client, credentials=("boss", "wrong password"))[0]

    allowed = [guess("203.0.113.7") for _ in range(LOGIN_LIMIT)]
    refused = [guess("203.0.113.7") for _ in range(2)]  # one on each server

    assert allowed == [401] * LOGIN_LIMIT  # two per server: each alone would allow four
    assert refused == [429, 429]
    assert guess("203.0.113.8") == 401  # another client behind the same proxy has its own count
    assert list(redis.scan_iter(f"*{prefix}*")), "the counters live in Redis"


def test_what_one_server_writes_the_other_reads(servers):
    first, second, _, _ = servers
    boss = new_token(first, "boss", client="198.51.100.1")
    status, _ = call("POST", f"{first}/api/v1/topics", {"name": "Coaching", "slug": "coaching"},
                     client="198.51.100.1", token=boss)  # fmt: skip
    assert status == 201
    status, prompt = call("POST", f"{first}/api/v1/prompts",
                          {"title": "Unlocking a resistant client", "topic": "coaching"},
                          client="198.51.100.1", token=boss)  # fmt: skip
    assert status == 201, prompt
    page = f"/prompts/{prompt['id']}"
    assert call("GET", first + page, client="198.51.100.9")[0] == 200  # cached for readers

    member = {"username": "maya", "email": "maya@example.org", "password": PASSWORD}
    assert call("POST", f"{second}/api/v1/auth/register", member, client="198.51.100.2")[0] == 201
    maya = new_token(second, "maya", client="198.51.100.2")
    status, contribution = call("POST", f"{second}/api/v1/prompts/{prompt['id']}/contributions",
                                {"body": "Ask what a small win looks like: twoserverswin."},
                                client="198.51.100.2", token=maya)  # fmt: skip
    assert status == 201, contribution

    status, html = call("GET", first + page, client="198.51.100.9")
    assert status == 200 and "twoserverswin" in html  # the shared copy moved with the version
    rated = call("PUT", f"{first}/api/v1/contributions/{contribution['id']}/rating",
                 {"score": 5}, client="198.51.100.1", token=boss)  # fmt: skip
    assert rated[0] == 200, rated
    status, seen = call("GET", f"{second}/api/v1/contributions/{contribution['id']}",
                        client="198.51.100.9")  # fmt: skip
    assert status == 200 and seen["rating"]["count"] == 1
    status, found = call("GET", f"{first}/api/v1/search?q=twoserverswin", client="198.51.100.9")
    assert status == 200, found
    assert [(hit["type"], hit["id"]) for hit in found["items"]] == [
        ("contribution", contribution["id"])
    ]
