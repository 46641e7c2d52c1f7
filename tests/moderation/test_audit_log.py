"""The audit log page: newest first, paged, linked to what was acted on, and never editable."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationAction
from forum.services import moderation
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import page_text
from tests.moderation.helpers import audit_count


def test_the_log_reads_as_sentences_newest_first_linked_to_what_was_acted_on(client, login):
    moderator = make_moderator(username="mona", display_name="Mona")
    author = make_user(username="kofi", display_name="Kofi")
    prompt = make_prompt(title="What helps clients keep a new habit after the first month?")
    contribution = make_contribution(prompt=prompt, author=author)
    member = make_user(username="spammy", display_name="Spammy")
    moderation.hide(moderator, contribution, "names a client")
    moderation.suspend(moderator, member, "bot account")
    login(moderator)

    response = client.get("/moderation/log")
    markup = response.get_data(as_text=True)
    text = page_text(response)

    assert text.index("mona suspended spammy: bot account") < text.index("names a client")
    hid = "mona hid kofi’s contribution on ‘What helps clients keep a new habit…’: names a client"
    assert hid in text
    assert "Mona" not in text.split("Audit log")[-1]  # usernames only, as the log always did
    assert f'href="/contributions/{contribution.id}"' in markup
    assert 'href="/u/spammy"' in markup


def test_the_log_is_paged(client, login):
    moderator = make_moderator(display_name="Mona")
    contribution = make_contribution()
    for n in range(20):  # after the prompt's own line: 21 lines, one more than a page
        moderation.set_featured(moderator, contribution, n % 2 == 0)
    login(moderator)

    first, second = client.get("/moderation/log"), client.get("/moderation/log?page=2")

    assert "Page 1 of 2" in page_text(first) and "wrote the prompt" not in page_text(first)
    assert "wrote the prompt" in page_text(second)
    assert "featured" not in page_text(second)


def test_the_log_filters_by_moderator_action_and_days_and_keeps_the_filter_in_page_links(
    client, login
):
    mona = make_moderator(username="mona", display_name="Mona")
    omar = make_moderator(username="omar", display_name="Omar")
    contribution = make_contribution()
    moderation.hide(mona, contribution, "first reason")
    moderation.restore(omar, contribution)
    for n in range(44):  # 22 "feature" lines: more than a page
        moderation.set_featured(mona, contribution, n % 2 == 0)
    login(mona)

    by_omar = page_text(client.get("/moderation/log?moderator=omar"))
    assert "omar restored" in by_omar and "mona hid" not in by_omar
    hides = page_text(client.get("/moderation/log?action=hide&moderator=mona"))
    assert "1 line matches this filter" in hides and "first reason" in hides
    today = date.today().isoformat()
    features = client.get(f"/moderation/log?action=feature&since={today}&until={today}")
    assert "22 lines match this filter" in page_text(features)
    assert "action=feature" in features.text and f"since={today}" in features.text
    before = page_text(client.get("/moderation/log?until=2001-01-01"))
    assert "No line matches this filter." in before


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("moderator=nobody", "nobody by that name has acted"),
        ("action=explode", "Choose an action from the list."),
        ("since=yesterday", "Write the day as YYYY-MM-DD"),
        ("until=2026-13-45", "Write the day as YYYY-MM-DD"),
        ("since=2026-03-02&until=2026-03-01", "The end of the range comes after its start."),
    ],
)
def test_a_filter_that_does_not_fit_is_explained_not_a_500(client, login, query, message):
    moderator = make_moderator()
    moderation.hide(moderator, make_contribution(), "kept")
    login(moderator)
    response = client.get(f"/moderation/log?{query}")
    assert response.status_code == 400
    assert message in page_text(response)
    assert "This filter cannot be used" in page_text(response)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_no_route_edits_or_deletes_an_audit_line(client, login, method):
    moderator = make_moderator()
    moderation.hide(moderator, make_contribution(), "kept forever")
    line = db.session.scalar(select(ModerationAction).order_by(ModerationAction.id.desc()))
    login(make_user(role="admin"))
    before = audit_count()

    answers = [
        client.open(path, method=method).status_code
        for path in ("/moderation/log", f"/moderation/log/{line.id}", "/api/v1/moderation/log")
    ]

    assert all(code in (404, 405) for code in answers), answers
    assert audit_count() == before
    assert db.session.get(ModerationAction, line.id).reason == "kept forever"


def test_no_route_on_the_log_accepts_a_write(app):
    writable = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "log" in rule.rule.split("/") and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert writable == []
