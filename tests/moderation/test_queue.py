"""The flag queue page: open flags grouped by contribution, oldest first; one decision per group
or one for many; tabs for what was resolved and dismissed."""

from __future__ import annotations

import re
from datetime import timedelta

from forum.extensions import db
from forum.models import Contribution, Flag
from forum.models.types import utcnow
from forum.services import flag_queue
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import fresh, page_text
from tests.moderation.helpers import audit_lines, flag_it, flag_statuses


def age(flag: Flag, minutes: int) -> None:
    """Make a flag look `minutes` old."""
    flag.created_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def test_open_flags_are_grouped_by_contribution_with_the_longest_waiting_first():
    prompt = make_prompt()
    newer, older = make_contribution(prompt=prompt), make_contribution(prompt=prompt)
    age(flag_it(newer), 5)
    age(flag_it(older, "abuse"), 30)
    age(flag_it(older, "spam"), 1)

    page = flag_queue.flag_groups(make_moderator())

    assert [(g.contribution.id, g.count) for g in page.items] == [(older.id, 2), (newer.id, 1)]
    assert [f.reason for f in page.items[0].flags] == ["abuse", "spam"]
    assert page.total == 2


def test_the_queue_page_shows_each_contribution_with_its_flags_notes_and_reporters(client, login):
    author = make_user(display_name="Sam Spammer")
    contribution = make_contribution(author=author, body="Buy cheap pills at example.com now")
    flag_it(contribution, "spam", "an advert", reporter=make_user(display_name="Rita Reporter"))
    flag_it(contribution, "abuse", "", reporter=make_user(display_name="Otto Other"))
    login(make_moderator())

    text = page_text(client.get("/moderation"))

    assert "1 flagged contribution" in text
    assert contribution.prompt.title in text
    assert "By Sam Spammer" in text and "2 flags" in text
    assert "Buy cheap pills" in text
    assert "Spam or advertising : “an advert” by Rita Reporter" in text
    assert "Abusive or disrespectful by Otto Other" in text


def test_resolving_one_flag_resolves_every_open_flag_on_that_contribution(client, login):
    contribution = make_contribution()
    first, _ = flag_it(contribution), flag_it(contribution, "abuse")
    moderator = make_moderator()
    login(moderator)

    response = client.post(
        f"/moderation/flags/{first.id}/resolve", data={"action": "hide", "note": "advert"}
    )

    assert response.status_code == 302
    assert flag_statuses(contribution.id) == ["resolved", "resolved"]
    hidden = fresh(Contribution, contribution.id)
    assert (hidden.status, hidden.hidden_reason) == ("hidden", "advert")
    assert audit_lines()[-2:] == [
        ("hide", "contribution", contribution.id),
        ("flag_hide", "contribution", contribution.id),
    ]
    assert "No open flags" in page_text(client.get("/moderation"))


def test_dismissed_flags_leave_the_contribution_visible_and_show_in_their_own_tab(client, login):
    contribution = make_contribution()
    item = flag_it(contribution, "off_topic", "not about coaching")
    login(make_moderator())

    client.post(f"/moderation/flags/{item.id}/resolve", data={"action": "dismiss", "note": "fine"})

    assert fresh(Contribution, contribution.id).status == "visible"
    assert flag_statuses(contribution.id) == ["dismissed"]
    dismissed = page_text(client.get("/moderation?status=dismissed"))
    assert "Off topic : “not about coaching”" in dismissed and "dismiss (“fine”)" in dismissed
    assert "No resolved flags" in page_text(client.get("/moderation?status=resolved"))


def test_a_bulk_action_applies_one_decision_to_every_selected_contribution(client, login):
    prompt = make_prompt()
    chosen = [make_contribution(prompt=prompt) for _ in range(2)]
    left = make_contribution(prompt=prompt)
    for contribution in (*chosen, left):
        flag_it(contribution)
    login(make_moderator())

    response = client.post(
        "/moderation/bulk",
        data={"action": "delete", "note": "spam wave", "contributions": [c.id for c in chosen]},
    )

    assert response.status_code == 302
    assert [fresh(Contribution, c.id).status for c in chosen] == ["deleted", "deleted"]
    assert fresh(Contribution, left.id).status == "visible"
    assert flag_statuses(left.id) == ["open"]
    assert [line[0] for line in audit_lines()[-4:]] == ["delete", "flag_delete"] * 2
    assert fresh(type(prompt), prompt.id).contribution_count == 1


def test_a_bulk_hide_without_a_note_gives_the_flag_reason_to_the_author(client, login):
    contribution = make_contribution()
    flag_it(contribution, "off_topic")
    login(make_moderator())

    client.post("/moderation/bulk", data={"action": "hide", "contributions": [contribution.id]})

    assert fresh(Contribution, contribution.id).hidden_reason == "flagged: off_topic"


def test_a_bulk_action_with_nothing_selected_changes_nothing_and_says_so(client, login):
    contribution = make_contribution()
    flag_it(contribution)
    login(make_moderator())
    before = audit_lines()

    response = client.post("/moderation/bulk", data={"action": "hide"}, follow_redirects=True)

    assert "Choose at least one flagged contribution." in page_text(response)
    assert flag_statuses(contribution.id) == ["open"]
    assert audit_lines() == before


def test_the_resolved_tab_shows_the_most_recently_decided_first():
    moderator = make_moderator()
    prompt = make_prompt()
    early, late, waiting = (make_contribution(prompt=prompt) for _ in range(3))
    flag_it(early)
    flag_queue.resolve_many(moderator, [early.id], "hide", "first")
    flag_it(late)
    flag_queue.resolve_many(moderator, [late.id], "delete")
    flag_it(waiting)

    resolved = flag_queue.flag_groups(moderator, "resolved")

    assert [g.contribution.id for g in resolved.items] == [late.id, early.id]
    assert [g.contribution.id for g in flag_queue.flag_groups(moderator).items] == [waiting.id]


def row_form(page: str, contribution_id: int) -> str:
    """The address the row of this contribution's flags posts its decision to."""
    row = page.split(f'id="flagged-{contribution_id}"', 1)[1].split("</article>", 1)[0]
    return re.search(r'<form class="flag-decision" method="post" action="([^"]+)">', row).group(1)


def test_each_row_resolves_its_flags_with_one_button_without_the_bulk_form(client, login):
    kept, advert = make_contribution(), make_contribution()
    flag_it(kept, "off_topic")
    flag_it(advert, "spam")
    flag_it(advert, "abuse")
    login(make_moderator())
    page = client.get("/moderation").text
    assert page.count('name="action" value="dismiss"') == 2
    assert page.count('name="action" value="hide"') == 2

    response = client.post(row_form(page, advert.id), data={"action": "hide", "note": "advert"})

    assert response.status_code == 302
    assert flag_statuses(advert.id) == ["resolved", "resolved"]
    assert fresh(Contribution, advert.id).hidden_reason == "advert"
    assert "Done for 1 contribution: hide the contribution." in page_text(client.get("/moderation"))

    client.post(row_form(page, kept.id), data={"action": "dismiss", "note": ""})

    assert flag_statuses(kept.id) == ["dismissed"]
    assert fresh(Contribution, kept.id).status == "visible"
    assert "No open flags" in page_text(client.get("/moderation"))
