"""Four gunicorn workers writing at once: the cross-process writer lock and the outbox lose no
update and raise no lock error (design.md, "Backends")."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from gunicorn import version_info as gunicorn_version

from forum import create_app
from forum.extensions import db
from forum.models import Prompt
from forum.search import get_engine, maintenance
from forum.services import search
from tests.conftest import base_config
from tests.factories import make_moderator, make_prompt, make_topic, make_user, token_for

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
POSTS = 60
MEMBERS = 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    call = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (local http)
    try:
        with urllib.request.urlopen(call, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_until_serving(base: str, server: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{log.read_text()}")
        try:
            if request(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{log.read_text()}")


@contextmanager
def gunicorn(settings: dict, log: Path):
    """gunicorn -w 4 wsgi:app on a free port, configured from the environment; stopped after."""
    port = free_port()
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": settings["DATABASE_URL"],
        "FORUM_SEARCH_PATH": settings["SEARCH_PATH"],
        "FORUM_RATELIMIT_ENABLED": "false",
    }
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    if gunicorn_version >= (27,):  # its control socket would live in the home folder, shared
        command.append("--no-control-socket")
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "wsgi:app"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def prepare_community(app) -> tuple[int, list[str]]:
    """Migrate the file database and make a prompt and members with API tokens."""
    with app.app_context():
        upgrade()
        prompt = make_prompt(topic=make_topic(), author=make_moderator(), title="Under load")
        tokens = [token_for(make_user()) for _ in range(MEMBERS)]
        prompt_id = prompt.id
        db.session.remove()
        get_engine().close()
        db.engine.dispose()
    return prompt_id, tokens


def marker(n: int) -> str:
    return f"loadmark{n:02d}x"


@pytest.mark.slow
def test_four_workers_writing_at_once_lose_no_update_and_raise_no_lock_error(tmp_path):
    settings = base_config(
        DATABASE_URL=f"sqlite:///{tmp_path / 'forum.db'}",
        SEARCH_PATH=str(tmp_path / "index"),
        CACHE_TYPE="SimpleCache",
    )
    prompt_id, tokens = prepare_community(create_app(settings))
    log = tmp_path / "gunicorn.log"

    with gunicorn(settings, log) as base:
        url = f"{base}/api/v1/prompts/{prompt_id}/contributions"

        def post(n: int) -> tuple[int, dict]:
            body = {"body": f"Under load, {marker(n)} worked for me."}
            return request(url, body, tokens[n % MEMBERS])

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(post, range(POSTS)))
        server_log = log.read_text()  # before shutdown, which may log its own interruptions

    assert [status for status, _ in answers] == [201] * POSTS, answers
    assert "Traceback" not in server_log, server_log
    assert "LockError" not in server_log, server_log
    app = create_app(settings)
    with app.app_context():
        assert db.session.get(Prompt, prompt_id).contribution_count == POSTS
        for n, (_, posted) in enumerate(answers):
            assert [(r.type, r.id) for r in search.search(marker(n)).items] == [
                ("contribution", posted["id"])
            ]
        drift = maintenance.check()
        assert drift == {"missing": [], "extra": [], "stale": [], "pending": 0}
        runner = app.test_cli_runner()
        checked = runner.invoke(args=["search", "check"])
        assert checked.exit_code == 0, checked.output
        assert "No drift" in checked.output
        get_engine().close()
        db.engine.dispose()
