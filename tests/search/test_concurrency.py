"""Four gunicorn workers writing at once: the cross-process writer lock and the outbox lose no
update and raise no lock error (docs/architecture.md, "Search")."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask_migrate import upgrade

from forum import create_app
from forum.extensions import db
from forum.models import Prompt
from forum.search import get_engine, maintenance
from forum.services import search
from tests.conftest import base_config
from tests.factories import make_moderator, make_prompt, make_topic, make_user, token_for
from tests.servers import gunicorn

pytestmark = pytest.mark.whoosh_only

WORKERS = 4
POSTS = 60
MEMBERS = 6


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


def serving(settings: dict, log: Path):
    """gunicorn with 4 workers on this test's database and index, rate limits off."""
    env = {
        "FORUM_DATABASE_URL": settings["DATABASE_URL"],
        "FORUM_SEARCH_PATH": settings["SEARCH_PATH"],
        "FORUM_RATELIMIT_ENABLED": "false",
    }
    return gunicorn(env, log, workers=WORKERS)


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

    with serving(settings, log) as server:
        url = f"{server.url}/api/v1/prompts/{prompt_id}/contributions"

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
        assert (drift.missing, drift.extra, drift.stale, drift.drifted) == ([], [], [], False)
        assert drift.facts == {"pending": 0, "word_list": True, "stale_words": 0,
                               "miscounted_words": 0}  # fmt: skip
        runner = app.test_cli_runner()
        checked = runner.invoke(args=["search", "check"])
        assert checked.exit_code == 0, checked.output
        assert "No drift" in checked.output
        get_engine().close()
        db.engine.dispose()
