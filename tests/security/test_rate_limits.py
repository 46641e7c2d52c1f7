"""Rate limits: sign-in guesses per account and per address, registrations per address, every
write per member, and counters shared by every app server through Redis."""

from __future__ import annotations

import multiprocessing
import re
import uuid
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ApiToken
from tests.api.helpers import assert_error
from tests.conftest import base_config
from tests.factories import PASSWORD, auth, make_admin, make_user
from tests.helpers import REDIS_URL, basic, page_text, redis_or_skip

# Harmless requests that must not touch a limit: logging out must always work.
UNLIMITED_WRITES = {"accounts.logout"}


def from_address(address: str) -> dict:
    return {"environ_overrides": {"REMOTE_ADDR": address}}


WRONG = "wrong password"


def web_login(client, username: str, address: str = "10.0.0.1", password: str = WRONG):
    data = {"username": username, "password": password}
    return client.post("/login", data=data, **from_address(address))


def api_token(client, username: str, address: str = "10.0.0.1", password: str = WRONG):
    return client.post(
        "/api/v1/auth/tokens", json={}, headers=basic(username, password), **from_address(address)
    )


def test_guesses_at_one_account_are_limited_from_any_address_on_page_and_api(client_with):
    client = client_with(
        RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="100 per minute", RATELIMIT_LOGIN_ACCOUNT="3/minute"
    )

    answers = [
        web_login(client, "Ana", "10.0.0.1").status_code,
        api_token(client, "ana", "10.0.0.2").status_code,
        web_login(client, " ANA ", "10.0.0.3").status_code,
    ]
    refused_page = web_login(client, "ana", "10.0.0.4")
    refused_api = api_token(client, "aNa", "10.0.0.5")

    assert answers == [200, 401, 200]
    assert refused_page.status_code == 429
    assert "Please wait a minute and try again." in page_text(refused_page)
    assert_error(refused_api, 429)
    assert int(refused_api.headers["Retry-After"]) > 0
    assert web_login(client, "bob", "10.0.0.4").status_code == 200  # other accounts still try


def test_one_address_is_limited_whatever_accounts_it_tries(client_with):
    client = client_with(
        RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute", RATELIMIT_LOGIN_ACCOUNT="100/minute"
    )

    answers = [
        web_login(client, "ana").status_code,
        api_token(client, "bob").status_code,
        web_login(client, "cleo").status_code,
    ]

    assert answers == [200, 401, 200]
    assert web_login(client, "dan").status_code == 429
    assert_error(api_token(client, "eve"), 429)
    assert web_login(client, "dan", "10.0.0.9").status_code == 200  # another address


def locked_after(failures: int, client_with):
    """A client whose sign-ins lock an account after `failures` wrong passwords."""
    return client_with(
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="100 per minute",
        RATELIMIT_LOGIN_ACCOUNT=f"{failures} per minute",
    )


def test_a_locked_account_stays_locked_whatever_username_the_form_body_names(client_with):
    client = locked_after(2, client_with)
    make_user(username="ana")
    assert [api_token(client, "ana").status_code for _ in range(2)] == [401, 401]

    decoy = client.post(
        "/api/v1/auth/tokens",
        data={"username": "decoy"},
        headers=basic("ana", PASSWORD),
        **from_address("10.0.0.2"),
    )

    assert_error(decoy, 429)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_a_locked_account_stays_locked_on_the_page_whatever_basic_credentials_name(client_with):
    client = locked_after(2, client_with)
    make_user(username="ana")
    assert [web_login(client, "ana").status_code for _ in range(2)] == [200, 200]

    decoy = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORD},
        headers=basic("decoy", WRONG),
        **from_address("10.0.0.2"),
    )

    assert decoy.status_code == 429
    assert "Log out" not in page_text(client.get("/"))


def test_only_wrong_passwords_count_toward_locking_an_account(client_with):
    client = locked_after(3, client_with)
    make_user(username="ana")

    answers = [
        web_login(client, "ana").status_code,
        api_token(client, "ana").status_code,
        web_login(client, "ana", password=PASSWORD).status_code,  # right: not counted
        api_token(client, "ana", password=PASSWORD).status_code,  # right: not counted
        api_token(client, "ana", password=PASSWORD).status_code,  # right: not counted
        client.post("/logout").status_code,
        web_login(client, "ana").status_code,  # the third wrong password locks the account
    ]

    assert answers == [200, 401, 302, 201, 201, 302, 200]
    assert_error(api_token(client, "ana", password=PASSWORD), 429)
    refused = web_login(client, "ana", password=PASSWORD)
    assert refused.status_code == 429
    assert "Log out" not in page_text(client.get("/"))
    assert web_login(client, "bob").status_code == 200  # other accounts are not locked


def test_someone_else_cannot_lock_an_account_by_signing_in_to_it_correctly(client_with):
    client = locked_after(2, client_with)
    make_user(username="ana")

    answers = [api_token(client, "ana", password=PASSWORD).status_code for _ in range(4)]

    assert answers == [201, 201, 201, 201]


def test_every_attempt_from_one_address_counts_right_or_wrong(client_with):
    client = client_with(
        RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute", RATELIMIT_LOGIN_ACCOUNT="100/minute"
    )
    make_user(username="ana")

    answers = [api_token(client, "ana", password=PASSWORD).status_code for _ in range(2)]

    assert answers == [201, 201]
    assert_error(api_token(client, "ana", password=PASSWORD), 429)
    assert web_login(client, "ana", password=PASSWORD).status_code == 429


def test_registrations_are_limited_per_address_on_page_and_api(client_with):
    client = client_with(RATELIMIT_ENABLED=True, RATELIMIT_REGISTER="1 per hour")
    form = {"username": "x", "email": "bad", "password": "short"}

    assert client.post("/register", data=form, **from_address("10.0.1.1")).status_code == 422
    page = client.post("/register", data=form, **from_address("10.0.1.1"))
    assert client.post("/api/v1/auth/register", json=form, **from_address("10.0.1.1")).status_code
    api = client.post("/api/v1/auth/register", json=form, **from_address("10.0.1.1"))

    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert_error(api, 429)
    assert "Retry-After" in api.headers
    other = client.post("/register", data=form, **from_address("10.0.1.2"))
    assert other.status_code == 422


def _example_url(rule) -> str:
    """The rule's path with an id that matches nothing and a name nobody has."""
    values = {name: 987654 if name.endswith("id") else "nobody" for name in rule.arguments}
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def test_every_write_route_is_limited_except_logout(client_with):
    client = client_with(
        RATELIMIT_ENABLED=True,
        RATELIMIT_WRITE="1 per day",
        RATELIMIT_LOGIN="1 per day",
        RATELIMIT_LOGIN_ACCOUNT="1 per day",
        RATELIMIT_REGISTER="1 per day",
    )
    admin = make_admin()
    headers = auth(admin)
    client.post("/login", data={"username": admin.username, "password": PASSWORD})
    app = client.application
    writes = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})
        if rule.endpoint not in UNLIMITED_WRITES
    ]

    unlimited = []
    for rule, method in writes:
        url = _example_url(rule)
        answers = [client.open(url, method=method, headers=headers) for _ in range(2)]
        if answers[-1].status_code != 429:
            unlimited.append((method, rule.rule, [a.status_code for a in answers]))

    assert len(writes) >= 35
    assert unlimited == [], "\n".join(map(str, unlimited))


# --- shared counters in Redis ---------------------------------------------------------------


def failed_logins_in_own_process(prefix: str, search_path: str, tries: int) -> list[int]:
    """In a fresh process: build an app on Redis and try `tries` wrong logins."""
    from forum import create_app

    app = create_app(
        base_config(
            DATABASE_URL="sqlite://",
            SEARCH_PATH=search_path,
            RATELIMIT_ENABLED=True,
            REDIS_URL=REDIS_URL,
            RATELIMIT_KEY_PREFIX=prefix,
            RATELIMIT_LOGIN="3 per minute",
        )
    )
    with app.app_context():
        db.create_all()
        client = app.test_client()
        data = {"username": "ana", "password": WRONG}
        return [client.post("/login", data=data).status_code for _ in range(tries)]


def in_new_process(function, *args):
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result(timeout=60)


def test_two_app_processes_share_their_counters_through_redis(tmp_path):
    connection = redis_or_skip()
    prefix = f"commonplace-test-{uuid.uuid4().hex}"
    try:
        first = in_new_process(failed_logins_in_own_process, prefix, str(tmp_path / "a"), 2)
        second = in_new_process(failed_logins_in_own_process, prefix, str(tmp_path / "b"), 2)
        stored = connection.keys(f"*{prefix}*")
    finally:
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)

    assert first == [200, 200]
    assert second == [200, 429]  # the third try overall, whichever process answers it
    assert stored


def test_limits_are_kept_in_memory_unless_redis_is_configured(client_with):
    assert client_with().application.config["RATELIMIT_STORAGE_URI"] == "memory://"
    configured = client_with(REDIS_URL=REDIS_URL).application
    assert configured.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
