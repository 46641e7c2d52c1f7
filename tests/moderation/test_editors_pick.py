"""Editor's pick: "Feature" marks a contribution and "Unfeature" unmarks it, each doing what it
says however often it is pressed (a double click, two moderators at once, a stale page)."""

from __future__ import annotations

from forum.models import Contribution
from tests.api.helpers import delete, ok, post
from tests.factories import make_contribution, make_moderator
from tests.helpers import fresh, page_text, prompt_page
from tests.moderation.helpers import audit_lines


def logged(contribution) -> list[str]:
    """The audit log's actions on this contribution, oldest first."""
    return [
        action
        for action, kind, ident in audit_lines()
        if (kind, ident) == ("contribution", contribution.id)
    ]


def test_pressing_feature_twice_on_the_page_leaves_the_contribution_featured(client, login):
    contribution = make_contribution()
    login(make_moderator())

    client.post(f"/contributions/{contribution.id}/feature")
    client.post(f"/contributions/{contribution.id}/feature")

    assert fresh(Contribution, contribution.id).featured is True
    assert "Editor's pick" in page_text(prompt_page(client, contribution.prompt))
    assert logged(contribution) == ["feature"]


def test_unfeature_on_a_contribution_that_is_not_featured_leaves_it_unfeatured(client, login):
    contribution = make_contribution()
    login(make_moderator())

    response = client.post(f"/contributions/{contribution.id}/unfeature", follow_redirects=True)

    assert fresh(Contribution, contribution.id).featured is False
    assert "No longer an editor's pick." in page_text(response)
    assert "Editor's pick" not in page_text(prompt_page(client, contribution.prompt)).replace(
        "No longer an editor's pick.", ""
    )
    assert logged(contribution) == []


def test_pressing_unfeature_twice_on_the_page_leaves_the_contribution_unfeatured(client, login):
    contribution = make_contribution()
    login(make_moderator())
    client.post(f"/contributions/{contribution.id}/feature")

    client.post(f"/contributions/{contribution.id}/unfeature")
    client.post(f"/contributions/{contribution.id}/unfeature")

    assert fresh(Contribution, contribution.id).featured is False
    assert logged(contribution) == ["feature", "unfeature"]


def test_featuring_twice_through_the_api_stays_featured(client):
    contribution, moderator = make_contribution(), make_moderator()

    ok(post(client, f"/contributions/{contribution.id}/feature", user=moderator))
    body = ok(post(client, f"/contributions/{contribution.id}/feature", user=moderator))

    assert body["featured"] is True
    assert fresh(Contribution, contribution.id).featured is True
    assert logged(contribution) == ["feature"]


def test_unfeaturing_an_unfeatured_contribution_through_the_api_stays_unfeatured(client):
    contribution, moderator = make_contribution(), make_moderator()

    body = ok(delete(client, f"/contributions/{contribution.id}/feature", user=moderator))

    assert body["featured"] is False
    assert fresh(Contribution, contribution.id).featured is False
    assert logged(contribution) == []
