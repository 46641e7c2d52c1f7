"""Hardening checks: CSRF tokens in every form, cookies, security headers, password storage,
no account probing, hashed tokens, no open redirects, and the body size limit on pages."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from werkzeug.security import generate_password_hash

from forum import create_app
from forum.config import DEV_SECRET_KEY, ProductionConfig, config_for_environment
from forum.extensions import db
from forum.models import ApiToken, User
from forum.services import accounts, moderation
from tests.api.helpers import assert_error, ok
from tests.conftest import base_config
from tests.factories import (
    PASSWORD,
    make_admin,
    make_contribution,
    make_prompt,
    make_user,
    token_for,
)
from tests.helpers import page_text

REAL_SECRET = "a-real-secret-key-from-the-environment-0123456789"  # noqa: S105


class FormCollector(HTMLParser):
    """Every <form> of a page with the names of the inputs inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            method = (attributes.get("method") or "get").lower()
            self.forms.append({"method": method, "action": attributes.get("action"), "inputs": []})
        elif tag in ("input", "button", "textarea", "select") and self.forms:
            self.forms[-1]["inputs"].append(attributes.get("name"))


def post_forms(html: str) -> list[dict]:
    collector = FormCollector()
    collector.feed(html)
    return [form for form in collector.forms if form["method"] == "post"]


def csrf_token_of(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))[1]


def log_in_with_token(client, user) -> None:
    token = csrf_token_of(client.get("/login"))
    data = {"username": user.username, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302


@pytest.fixture
def site(client_with):
    """An app with CSRF on, content of every kind, and the URLs of every page that shows it."""
    client = client_with(WTF_CSRF_ENABLED=True)
    admin, member = make_admin(), make_user()
    prompt = make_prompt(author=admin)
    contribution = make_contribution(prompt=prompt, author=member)
    moderation.flag(admin, contribution, "spam", "looks like an advert")
    token_for(admin)
    pages = [
        "/",
        f"/topics/{prompt.topic.slug}",
        f"/prompts/{prompt.id}/{prompt.slug}",
        "/prompts/new",
        f"/prompts/{prompt.id}/edit",
        f"/contributions/{contribution.id}/edit",
        f"/contributions/{contribution.id}/delete",
        f"/contributions/{contribution.id}/revisions",
        "/strategies",
        "/search?q=steps",
        f"/u/{member.username}",
        "/settings",
        "/moderation",
        "/moderation/log",
    ]
    return client, admin, pages


def test_every_post_form_on_every_page_carries_a_csrf_token(site):
    client, admin, pages = site
    anonymous = {page: client.get(page) for page in ("/login", "/register")}
    log_in_with_token(client, admin)
    signed_in = {page: client.get(page) for page in pages}

    forms = []
    for page, response in {**anonymous, **signed_in}.items():
        assert response.status_code == 200, page
        forms += [(page, form) for form in post_forms(response.get_data(as_text=True))]

    without_token = [
        (page, form["action"]) for page, form in forms if "csrf_token" not in form["inputs"]
    ]
    assert len(forms) >= 20
    assert without_token == []


def test_every_page_and_api_answer_carries_the_security_headers(site):
    client, admin, pages = site
    log_in_with_token(client, admin)
    api = ["/api/v1/prompts", "/api/v1/topics", "/api/v1/openapi.json", "/api/v1/nothing-here"]
    answers = {path: client.get(path) for path in [*pages, "/login", "/no/such/page", *api]}
    answers["POST /api/v1/topics"] = client.post("/api/v1/topics", json={})

    for path, response in answers.items():
        headers = response.headers
        policy = headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in policy, path
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path
        assert "object-src 'none'" in policy, path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", path
        assert headers.get("X-Frame-Options") == "DENY", path


# --- cookies and the secret key -------------------------------------------------------------


def cookies_set_by_login(client) -> dict[str, set[str]]:
    """The session and remember-me cookies a login sets, each with its attribute names."""
    user = make_user()
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookies = {}
    for line in response.headers.getlist("Set-Cookie"):
        name, *attributes = (part.strip() for part in line.split(";"))
        # "SameSite=Lax" as written, and bare names: "Secure", "HttpOnly", "Path"...
        cookies[name.split("=")[0]] = {*attributes, *(a.split("=")[0] for a in attributes)}
    assert {"session", "remember_token"} <= set(cookies)
    return {name: cookies[name] for name in ("session", "remember_token")}


def test_session_cookies_are_http_only_and_same_site_lax_in_development(client):
    for attributes in cookies_set_by_login(client).values():
        assert {"HttpOnly", "SameSite=Lax"} <= attributes
        assert "Secure" not in attributes


def test_session_cookies_are_also_secure_in_production(client_with):
    client = client_with(ENV="production", SECRET_KEY=REAL_SECRET)
    for attributes in cookies_set_by_login(client).values():
        assert {"HttpOnly", "SameSite=Lax", "Secure"} <= attributes
    answer = client.get("/")
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_refuses_to_start_with_the_development_key(monkeypatch):
    monkeypatch.setenv("FORUM_ENV", "production")
    assert config_for_environment() is ProductionConfig
    with pytest.raises(RuntimeError, match="FORUM_SECRET_KEY"):
        create_app(
            base_config(ENV="production", SECRET_KEY=DEV_SECRET_KEY, DATABASE_URL="sqlite://")
        )


# --- passwords ------------------------------------------------------------------------------


@pytest.fixture
def real_password_hashes(monkeypatch):
    """Undo the suite's fast hashing: these tests measure the real thing."""
    monkeypatch.setattr(accounts, "generate_password_hash", generate_password_hash)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


def test_passwords_are_stored_with_a_modern_slow_hash(client, real_password_hashes):
    body = {"username": "ana", "email": "ana@example.org", "password": "a long passphrase"}
    ok(client.post("/api/v1/auth/register", json=body), 201)

    stored = db.session.query(User).filter_by(username="ana").one().password_hash
    method = stored.split("$")[0]
    assert "a long passphrase" not in stored
    if method.startswith("pbkdf2"):
        assert int(method.split(":")[2]) >= 600_000
    else:
        assert method.startswith("scrypt:")
        assert int(method.split(":")[1]) >= 2**15


def test_a_password_shorter_than_ten_characters_is_refused(client):
    body = {"username": "ana", "email": "ana@example.org", "password": "nine char"}
    assert_error(client.post("/api/v1/auth/register", json=body), 422, "password")
    assert db.session.query(User).count() == 0


# --- no account probing ---------------------------------------------------------------------


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(client):
    make_user(username="ana")
    wrong_password = client.post("/login", data={"username": "ana", "password": "not it at all"})
    no_such_name = client.post("/login", data={"username": "anb", "password": "not it at all"})
    assert wrong_password.status_code == no_such_name.status_code == 200
    assert page_text(wrong_password) == page_text(no_such_name).replace("anb", "ana")

    basic = {"ana": "YW5hOm5vdCBpdA==", "anb": "YW5iOm5vdCBpdA=="}  # name:"not it"
    answers = [
        client.post("/api/v1/auth/tokens", json={}, headers={"Authorization": f"Basic {value}"})
        for value in basic.values()
    ]
    assert answers[0].get_json() == answers[1].get_json()
    assert_error(answers[0], 401)


def test_a_taken_email_is_refused_without_saying_whose_it_is(client):
    make_user(username="ana")
    body = {"username": "newcomer", "email": "ANA@example.org", "password": "a long passphrase"}
    error = assert_error(client.post("/api/v1/auth/register", json=body), 422, "email")
    message = " ".join(error["errors"]["email"])
    assert "ana" not in message.replace("ana@", "").lower()
    assert not re.search(r"registered|exists|belongs", message, re.IGNORECASE)


def hash_work(monkeypatch, attempt) -> list[str]:
    """The password hashes an attempt checks, by method and cost (what its time depends on)."""
    checked: list[str] = []
    real_check = accounts.check_password_hash

    def counting_check(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$", 1)[0])  # e.g. "scrypt:32768:8:1"
        return real_check(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting_check)
    attempt()
    monkeypatch.setattr(accounts, "check_password_hash", real_check)
    return checked


def test_failed_logins_do_the_same_work_for_an_unknown_name_as_for_a_wrong_password(
    app, real_password_hashes, monkeypatch
):
    """Nobody learns which names exist from how long a refusal takes: an unknown name checks a
    password against a hash of the same method and cost as a member's."""
    make_user(username="ana")

    unknown = hash_work(monkeypatch, lambda: accounts.authenticate("nobody", "wrong password"))
    wrong = hash_work(monkeypatch, lambda: accounts.authenticate("ana", "wrong password"))

    assert len(unknown) == len(wrong) == 1
    assert unknown == wrong
    assert accounts.authenticate("nobody", "wrong password") is None


# --- tokens -------------------------------------------------------------------------------


def test_api_tokens_are_stored_as_digests_and_compared_in_constant_time(app, monkeypatch):
    user = make_user()
    secret = token_for(user)
    compared = []
    real_compare = accounts.hmac.compare_digest
    monkeypatch.setattr(
        accounts.hmac, "compare_digest", lambda a, b: compared.append(1) or real_compare(a, b)
    )

    stored = db.session.query(ApiToken).one().token_hash
    assert secret not in stored
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert accounts.user_for_token(secret) == user
    assert compared == [1]


# --- redirects ------------------------------------------------------------------------------

REDIRECT_VECTORS = [
    "//evil.com",
    "///evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "https:evil.com",
    "https://evil.com",
    "%2F%2Fevil.com",
    "/%2F/evil.com/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " //evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "//evil.com@forum.test",
    "http:/evil.com",
]


def stays_on_this_site(location: str) -> bool:
    parts = urlsplit(location)
    on_site = parts.netloc in ("", "forum.test") and parts.scheme in ("", "http", "https")
    return on_site and not location.startswith(("//", "/\\")) and "\\" not in location


@pytest.mark.parametrize("target", REDIRECT_VECTORS)
def test_login_never_redirects_off_the_site(client, target):
    user = make_user()
    data = {"username": user.username, "password": PASSWORD, "next": target}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    assert stays_on_this_site(response.headers["Location"]), response.headers["Location"]

    client.post("/logout")
    response = client.post("/login", query_string={"next": target}, data={**data, "next": ""})
    assert stays_on_this_site(response.headers["Location"]), response.headers["Location"]


def test_rating_never_redirects_off_the_site(client):
    contribution, user = make_contribution(), make_user()
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    for target in REDIRECT_VECTORS:
        response = client.post(
            f"/contributions/{contribution.id}/rating", data={"score": "4", "next": target}
        )
        assert stays_on_this_site(response.headers["Location"]), target


# --- request size ---------------------------------------------------------------------------


def test_a_form_over_one_megabyte_is_a_friendly_413_page(client):
    prompt, user = make_prompt(), make_user()
    client.post("/login", data={"username": user.username, "password": PASSWORD})

    response = client.post(
        f"/prompts/{prompt.id}/contributions", data={"body": "x" * (1024 * 1024 + 10)}
    )

    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "Commonplace" in page_text(response)
    assert client.post("/login", data={"username": "x" * (1024 * 1024)}).status_code == 413
