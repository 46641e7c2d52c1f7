"""Accounts API: registration, tokens, the caller's own account and export, public profiles."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ApiToken, User
from forum.services import accounts, contributions, moderation, prompts
from tests.api.helpers import (
    ME,
    NEW_TOKEN,
    USER,
    assert_error,
    assert_shape,
    delete,
    get,
    ok,
    patch,
    post,
    put,
    refusals,
)
from tests.factories import (
    PASSWORD,
    make_admin,
    make_contribution,
    make_moderator,
    make_prompt,
    make_user,
    rate_many,
)
from tests.helpers import basic, fresh

NEW_ACCOUNT = {"username": "coach_ana-1", "email": "ana@example.org", "password": "long enough pw"}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def register(client, **changes):
    return post(client, "/auth/register", {**NEW_ACCOUNT, **changes})


def create_token(client, username: str, name: str | None = "laptop", password: str = PASSWORD):
    body = {} if name is None else {"name": name}
    return post(client, "/auth/tokens", body, headers=basic(username, password))


def user_named(username: str) -> User | None:
    db.session.expire_all()
    return accounts.find_user(username)


# --- registration ---------------------------------------------------------------------------


def test_registering_answers_201_with_the_new_member_and_stores_the_account(client):
    body = ok(register(client, display_name="Ana Coach"), 201)

    assert_shape(body, USER)
    assert (body["username"], body["display_name"], body["role"], body["status"]) == (
        "coach_ana-1",
        "Ana Coach",
        "member",
        "active",
    )
    assert "password" not in body
    user = user_named("coach_ana-1")
    assert user.email == "ana@example.org"
    assert user.password_hash != NEW_ACCOUNT["password"]
    assert accounts.authenticate("coach_ana-1", NEW_ACCOUNT["password"]) == user


@pytest.mark.parametrize("username", ["abc", "a" * 30, "under_score-and-dash9"])
def test_usernames_of_3_to_30_allowed_characters_are_accepted(client, username):
    ok(register(client, username=username), 201)
    assert user_named(username) is not None


def test_usernames_breaking_the_rules_are_refused_with_422(client):
    names = ["ab", "a" * 31, "with space", "dot.ted", "émilie", "semi;colon", "", "a\x00bc", 7]

    seen = refusals(lambda name: register(client, username=name), {repr(n): n for n in names})

    assert seen == {repr(n): (422, ["username"]) for n in names}
    assert db.session.scalar(select(User.id)) is None


def test_a_username_taken_in_another_case_is_refused(client):
    make_user(username="ana")
    assert_error(register(client, username="ANA"), 422, "username")
    assert_error(register(client, username="Ana"), 422, "username")


def test_an_email_already_used_is_refused_whatever_its_case(client):
    make_user(username="first")
    assert_error(register(client, email="FIRST@example.org"), 422, "email")
    assert user_named(NEW_ACCOUNT["username"]) is None


@pytest.mark.parametrize("password, status", [("x" * 9, 422), ("x" * 10, 201)])
def test_a_password_needs_at_least_10_characters(client, password, status):
    response = register(client, password=password)
    if status == 422:
        assert_error(response, 422, "password")
    else:
        ok(response, 201)
    assert (user_named(NEW_ACCOUNT["username"]) is not None) == (status == 201)


def test_registration_refuses_unknown_and_missing_fields(client):
    assert_error(register(client, role="admin"), 422, "role")
    assert_error(post(client, "/auth/register", {"username": "solo"}), 422, "email", "password")
    assert db.session.scalar(select(User.id)) is None


def test_registration_with_a_malformed_body_is_a_400(client):
    response = client.post(
        "/api/v1/auth/register", data='{"username": ', content_type="application/json"
    )
    assert_error(response, 400)


# --- tokens ---------------------------------------------------------------------------------


def test_a_token_created_with_basic_credentials_is_shown_once_and_stored_hashed(client):
    user = make_user(username="ana")
    body = ok(create_token(client, "ana"), 201)

    assert_shape(body, NEW_TOKEN)
    assert body["name"] == "laptop"
    row = fresh(ApiToken, body["id"])
    assert row.user_id == user.id
    assert body["token"] not in (row.token_hash, row.name)
    assert ok(get(client, "/me", headers=bearer(body["token"])))["username"] == "ana"


def test_a_token_without_a_name_gets_a_default_one(client):
    make_user(username="ana")
    body = ok(create_token(client, "ana", name=None), 201)
    assert body["name"] == fresh(ApiToken, body["id"]).name != ""


@pytest.mark.parametrize("name", ["n" * 101, 7, ["laptop"]])
def test_a_token_name_is_a_string_of_at_most_100_characters(client, name):
    make_user(username="ana")
    assert_error(create_token(client, "ana", name), 422, "name")
    assert db.session.scalar(select(ApiToken.id)) is None


def test_creating_a_token_without_valid_credentials_is_a_401(client):
    make_user(username="ana")
    cases = {
        "none": {},
        "wrong password": basic("ana", "wrong password"),
        "unknown user": basic("nobody"),
        "not base64": {"Authorization": "Basic !!!not-base64!!!"},
        "no colon": {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()},
        "not UTF-8": {"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:x").decode()},
        "digest": {"Authorization": "Digest whatever"},
    }

    seen = refusals(lambda headers: post(client, "/auth/tokens", {}, headers=headers), cases)

    assert seen == dict.fromkeys(cases, (401, []))
    assert db.session.scalar(select(ApiToken.id)) is None


def test_a_token_cannot_create_another_token(client):
    make_user(username="ana")
    token = ok(create_token(client, "ana"), 201)

    response = post(client, "/auth/tokens", {"name": "spare"}, headers=bearer(token["token"]))

    body = assert_error(response, 401)
    assert "HTTP Basic" in body["message"]
    assert db.session.scalar(select(func.count(ApiToken.id))) == 1


def test_the_token_list_shows_the_callers_tokens_without_their_secrets(client):
    ana, other = make_user(username="ana"), make_user()
    first = ok(create_token(client, "ana", "phone"), 201)
    ok(create_token(client, other.username), 201)

    items = ok(get(client, "/auth/tokens", headers=bearer(first["token"])))["items"]

    assert [t["name"] for t in items] == ["phone"]
    assert items[0]["id"] == first["id"]
    assert "token" not in items[0] and "token_hash" not in items[0]
    assert {t.user_id for t in ana.tokens} == {ana.id}


def test_a_revoked_token_stops_working_at_once(client):
    make_user(username="ana")
    keep = ok(create_token(client, "ana", "keep"), 201)
    drop = ok(create_token(client, "ana", "drop"), 201)
    ok(get(client, "/me", headers=bearer(drop["token"])))

    response = delete(client, f"/auth/tokens/{drop['id']}", headers=bearer(keep["token"]))

    assert response.status_code == 204 and response.data == b""
    assert fresh(ApiToken, drop["id"]) is None
    assert_error(get(client, "/me", headers=bearer(drop["token"])), 401)
    assert ok(get(client, "/me", headers=bearer(keep["token"])))["username"] == "ana"


def test_a_token_can_revoke_itself(client):
    make_user(username="ana")
    token = ok(create_token(client, "ana"), 201)
    assert (
        delete(client, f"/auth/tokens/{token['id']}", headers=bearer(token["token"])).status_code
        == 204
    )
    assert_error(get(client, "/auth/tokens", headers=bearer(token["token"])), 401)


def test_nobody_revokes_another_members_token(client):
    make_user(username="ana")
    theirs = ok(create_token(client, "ana"), 201)
    assert_error(delete(client, f"/auth/tokens/{theirs['id']}", user=make_user()), 404)
    assert fresh(ApiToken, theirs["id"]) is not None
    assert_error(delete(client, "/auth/tokens/424242", user=make_user()), 404)


def test_member_endpoints_answer_401_without_a_valid_token(client):
    headers = {
        "none": {},
        "unknown": bearer("cp_not-a-real-token"),
        "no prefix": bearer("garbage"),
        "empty": bearer(""),
        "scheme only": {"Authorization": "Bearer"},
        "basic": basic("ana"),
    }
    make_user(username="ana")
    paths = ("/me", "/auth/tokens", "/me/export")
    cases = {f"{name} {path}": (h, path) for name, h in headers.items() for path in paths}

    seen = refusals(lambda case: get(client, case[1], headers=case[0]), cases)

    assert seen == dict.fromkeys(cases, (401, []))


def test_a_401_names_the_bearer_scheme(client):
    response = get(client, "/me", headers=bearer("cp_unknown"))
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- the caller's own account ---------------------------------------------------------------


def test_a_new_member_registers_creates_a_token_and_reads_their_own_account(client):
    ok(register(client), 201)
    created = create_token(client, "coach_ana-1", password=NEW_ACCOUNT["password"])
    token = ok(created, 201)["token"]

    body = ok(get(client, "/me", headers=bearer(token)))

    assert_shape(body, ME)
    assert (body["username"], body["email"]) == ("coach_ana-1", "ana@example.org")


def test_a_member_edits_their_display_name_headline_and_bio(client):
    user = make_user()
    changes = {"display_name": "Ana B.", "headline": "Executive coach, ICF PCC", "bio": "Hi."}

    body = ok(patch(client, "/me", changes, user=user))

    assert_shape(body, ME)
    assert {k: body[k] for k in changes} == changes
    row = fresh(User, user.id)
    assert (row.display_name, row.headline, row.bio) == tuple(changes.values())


def test_invalid_profile_changes_are_refused_and_nothing_changes(client):
    user = make_user(display_name="Before")
    cases = {
        "blank display name": ({"display_name": "   "}, "display_name"),
        "numeric display name": ({"display_name": 7}, "display_name"),
        "long headline": ({"headline": "h" * 121}, "headline"),
        "list headline": ({"headline": ["a list"]}, "headline"),
        "long bio": ({"bio": "b" * 5001}, "bio"),
        "email": ({"email": "new@example.org"}, "email"),
    }

    seen = refusals(lambda case: patch(client, "/me", {"bio": "x", **case[0]}, user=user), cases)

    assert seen == {label: (422, [field]) for label, (_, field) in cases.items()}
    row = fresh(User, user.id)
    assert (row.display_name, row.headline, row.bio) == ("Before", "", "")


def test_the_export_holds_what_the_member_wrote_and_rated_including_deleted_work(client):
    user = make_user()
    prompt = make_prompt()
    kept = make_contribution(prompt=prompt, author=user, body="Kept answer #trust")
    gone = make_contribution(prompt=prompt, author=user, body="Deleted answer")
    contributions.delete_contribution(user, gone)
    rated = make_contribution(prompt=prompt)
    ok(patch(client, f"/contributions/{kept.id}", {"body": "Kept answer, edited"}, user=user))
    ok(put(client, f"/contributions/{rated.id}/rating", {"score": 4}, user=user))
    prompts.rate_prompt(user, prompt, True)
    moderation.flag(user, rated, "spam", "looks like an ad")

    body = ok(get(client, "/me/export", user=user))

    assert body["user"]["username"] == user.username and body["user"]["email"] == user.email
    bodies = {c["id"]: c for c in body["contributions"]}
    assert bodies[kept.id]["body"] == "Kept answer, edited"
    assert [r["body"] for r in bodies[kept.id]["revisions"]] == ["Kept answer #trust"]
    assert (bodies[gone.id]["body"], bodies[gone.id]["status"]) == ("Deleted answer", "deleted")
    assert body["ratings"] == [
        {"contribution_id": rated.id, "score": 4, "rated_at": body["ratings"][0]["rated_at"]}
    ]
    assert [(r["prompt_id"], r["helpful"]) for r in body["prompt_ratings"]] == [(prompt.id, True)]
    assert [(f["contribution_id"], f["reason"]) for f in body["flags"]] == [(rated.id, "spam")]


# --- public profiles and roles --------------------------------------------------------------


def test_a_public_profile_shows_counts_and_reputation_but_never_the_email(client):
    author = make_user(username="ana", display_name="Ana")
    rate_many(make_contribution(author=author), [5])
    make_contribution(author=author)

    body = ok(get(client, "/users/ANA"))

    assert_shape(body, USER)
    assert "email" not in body
    assert (body["username"], body["display_name"], body["contribution_count"]) == ("ana", "Ana", 2)
    assert body["reputation"] == pytest.approx(2.404 - 2.047, abs=0.001)


def test_reputation_counts_only_what_ratings_added_over_an_unrated_contribution(client):
    author = make_user(username="ana")
    rate_many(make_contribution(author=author), [4, 4, 5, 5, 5, 5])  # scores 3.285
    rate_many(make_contribution(author=author), [1])  # scores below an unrated one
    make_contribution(author=author)  # unrated

    assert ok(get(client, "/users/ana"))["reputation"] == pytest.approx(3.285 - 2.047, abs=0.001)


def test_an_unknown_username_is_a_404(client):
    assert_error(get(client, "/users/nobody"), 404)
    assert_error(patch(client, "/users/nobody", {"role": "moderator"}, user=make_admin()), 404)


def test_an_admin_makes_a_member_a_moderator_and_the_log_records_it(client):
    admin, member = make_admin(username="boss"), make_user(username="ana")

    body = ok(patch(client, "/users/ana", {"role": "moderator"}, user=admin))

    assert_shape(body, USER)
    assert body["role"] == "moderator"
    assert fresh(User, member.id).role == "moderator"
    entry = ok(get(client, "/moderation/log", user=admin))["items"][0]
    assert (entry["actor"], entry["action"], entry["target_type"], entry["target_id"]) == (
        "boss",
        "set_role",
        "user",
        member.id,
    )
    assert entry["reason"] == "member -> moderator"


@pytest.mark.parametrize(
    "role", [None, "member", "moderator"], ids=["anonymous", "member", "moderator"]
)
def test_only_an_admin_sets_roles(client, role):
    target = make_user(username="ana")
    actor = make_user(role=role) if role else None
    response = patch(client, "/users/ana", {"role": "admin"}, user=actor)
    assert_error(response, 401 if actor is None else 403)
    assert fresh(User, target.id).role == "member"


@pytest.mark.parametrize(
    "body, field", [({"role": "owner"}, "role"), ({}, "role"), ({"role": "admin", "x": 1}, "x")]
)
def test_an_invalid_role_change_is_a_422(client, body, field):
    target = make_user(username="ana")
    assert_error(patch(client, "/users/ana", body, user=make_admin()), 422, field)
    assert fresh(User, target.id).role == "member"


def test_a_moderator_role_is_part_of_what_the_profile_shows(client):
    make_moderator(username="mod")
    assert ok(get(client, "/users/mod"))["role"] == "moderator"
