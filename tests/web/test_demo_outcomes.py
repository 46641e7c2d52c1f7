"""The demo community (`flask --app forum seed-demo`) comes with outcomes: strategies tried by
three members or more, so the "Proven in practice" tab lists them at once, settings and a note;
and a playbook for sam with one strategy whose reminder date has passed."""

from __future__ import annotations

from forum.extensions import db
from forum.models import Contribution, Outcome
from forum.models.types import utcnow
from forum.services import accounts, playbook
from tests.helpers import page_text


def test_the_demo_shows_proven_strategies_and_a_playbook_with_a_reminder_due(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # already there: nothing again

    body = client.get("/api/v1/strategies?sort=proven").get_json()
    assert body["total"] == 3
    listed = [db.session.get(Contribution, item["id"]) for item in body["items"]]
    assert all(contribution.outcome_count >= 3 for contribution in listed)
    assert Outcome.query.filter(Outcome.note != "").count() == 1
    assert Outcome.query.filter(Outcome.setting.is_not(None)).count() >= 6
    text = page_text(client.get("/strategies?sort=proven"))
    assert "Tried by 4 · 3 worked · mostly 1:1" in text

    sam = accounts.find_user("sam")
    saved = playbook.playbook_of(sam).items
    assert len(saved) == 2
    now = utcnow()
    assert sum(1 for entry in saved if entry.remind_at <= now) == 1
