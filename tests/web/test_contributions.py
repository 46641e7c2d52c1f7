"""Contributing under a prompt, editing with a history, deleting, and what the list shows."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.models import Contribution, Revision, User
from forum.services import moderation
from tests.factories import make_contribution, make_moderator, make_prompt, make_user, rate_many
from tests.helpers import fresh, page_text, prompt_page


def test_a_member_contributes_and_sees_markdown_rendered_and_hashtags_as_tag_links(client, login):
    prompt = make_prompt()
    login(make_user(display_name="Dana Coach"))
    response = client.post(
        f"/prompts/{prompt.id}/contributions",
        data={"body": "Start **small**, then grow. #tiny-steps", "key_point_id": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?sort=newest#c1")
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "<strong>small</strong>" in html
    # The hashtag links to its tag's search where it stands, and shows no second chip.
    assert 'href="/search?tag=tiny-steps" rel="nofollow ugc noopener">#tiny-steps</a>' in html
    assert html.count('href="/search?tag=tiny-steps"') == 1
    assert "Thank you: your experience is posted." in page_text(page)
    assert "Dana Coach" in page_text(page)
    stored = fresh(Contribution, 1)
    assert stored.body == "Start **small**, then grow. #tiny-steps"
    assert stored.tag_names == ["tiny-steps"]


def test_a_contribution_may_answer_one_key_point(client, login):
    prompt = make_prompt()
    point = prompt.key_points[1]
    login(make_user())
    client.post(
        f"/prompts/{prompt.id}/contributions",
        data={"body": "Goals that fit a week.", "key_point_id": str(point.id)},
    )
    assert fresh(Contribution, 1).key_point_id == point.id
    text = page_text(prompt_page(client, prompt))
    assert "Answers the key point Set goals" in text


def test_the_key_point_filter_shows_only_the_contributions_on_that_point(client):
    prompt = make_prompt()
    trust, goals = prompt.key_points
    make_contribution(prompt=prompt, body="About trust.", key_point_id=trust.id)
    make_contribution(prompt=prompt, body="About goals.", key_point_id=goals.id)
    response = prompt_page(client, prompt, f"?key_point={goals.id}")
    text = page_text(response)
    assert "About goals." in text and "About trust." not in text
    assert re.search(rf'key_point={goals.id}" aria-current="page">Set goals<', response.text)


def test_an_empty_contribution_is_sent_back_with_the_reason_next_to_the_field(client, login):
    prompt = make_prompt()
    login(make_user())
    response = client.post(f"/prompts/{prompt.id}/contributions", data={"body": "   "})
    assert response.status_code == 422
    assert 'id="body-error">' in response.text
    assert db.session.query(Contribution).count() == 0


def test_a_reader_is_invited_to_log_in_instead_of_a_contribute_form(client):
    prompt = make_prompt()
    response = prompt_page(client, prompt)
    assert "Log in or register to share what worked for you." in page_text(response)
    assert 'name="body"' not in response.text


def test_a_reader_posting_a_contribution_is_sent_to_log_in(client):
    prompt = make_prompt()
    response = client.post(f"/prompts/{prompt.id}/contributions", data={"body": "Hello"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert db.session.query(Contribution).count() == 0


def test_a_locked_prompt_shows_no_contribute_form_and_refuses_a_post(client, login):
    prompt = make_prompt(status="locked")
    login(make_user())
    response = prompt_page(client, prompt)
    text = page_text(response)
    assert "This prompt is locked." in text
    assert "it takes no new contributions" in text
    assert 'name="body"' not in response.text
    refused = client.post(f"/prompts/{prompt.id}/contributions", data={"body": "Late idea"})
    assert refused.status_code == 409
    assert "locked" in page_text(refused)
    assert db.session.query(Contribution).count() == 0


def test_an_archived_prompt_says_so(client):
    prompt = make_prompt(status="archived")
    assert "This prompt is archived." in page_text(prompt_page(client, prompt))


def test_a_suspended_member_sees_why_and_cannot_post(client, login):
    prompt = make_prompt()
    login(make_user(suspended=True))
    response = prompt_page(client, prompt)
    assert "Your account is suspended" in page_text(response)
    assert 'name="body"' not in response.text
    refused = client.post(f"/prompts/{prompt.id}/contributions", data={"body": "Still here"})
    assert refused.status_code == 403
    assert db.session.query(Contribution).count() == 0


def test_editing_keeps_the_earlier_version_in_the_history(client, login):
    author = make_user()
    contribution = make_contribution(author=author, body="First version.")
    login(author)
    form = client.get(f"/contributions/{contribution.id}/edit")
    assert "First version." in form.text
    response = client.post(
        f"/contributions/{contribution.id}/edit", data={"body": "Second version, *better*."}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#c{contribution.id}")
    page = client.get(response.headers["Location"])
    assert "<em>better</em>" in page.text
    assert f'href="/contributions/{contribution.id}/revisions">edited' in page.text
    history = page_text(client.get(f"/contributions/{contribution.id}/revisions"))
    assert "Current version" in history and "Second version, better." in history
    assert "First version." in history
    assert [r.body for r in db.session.query(Revision).all()] == ["First version."]


def test_an_empty_edit_is_sent_back_with_the_reason(client, login):
    author = make_user()
    contribution = make_contribution(author=author, body="Keep me.")
    login(author)
    response = client.post(f"/contributions/{contribution.id}/edit", data={"body": ""})
    assert response.status_code == 422
    assert 'id="body-error">' in response.text
    assert fresh(Contribution, contribution.id).body == "Keep me."


def test_another_member_may_not_edit_or_delete_a_contribution(client, login):
    contribution = make_contribution(body="Mine.")
    login(make_user())
    assert client.get(f"/contributions/{contribution.id}/edit").status_code == 403
    assert (
        client.post(f"/contributions/{contribution.id}/edit", data={"body": "X"}).status_code == 403
    )
    assert client.post(f"/contributions/{contribution.id}/delete").status_code == 403
    page = prompt_page(client, contribution.prompt)
    assert f"/contributions/{contribution.id}/edit" not in page.text
    assert fresh(Contribution, contribution.id).body == "Mine."


def test_a_moderator_sees_edit_and_delete_links_on_anyones_contribution(client, login):
    contribution = make_contribution()
    login(make_moderator())
    page = prompt_page(client, contribution.prompt)
    assert f"/contributions/{contribution.id}/edit" in page.text
    assert f"/contributions/{contribution.id}/delete" in page.text


def test_deleting_asks_first_then_hides_the_contribution(client, login):
    author = make_user()
    contribution = make_contribution(author=author, body="Soon gone.")
    login(author)
    confirm = client.get(f"/contributions/{contribution.id}/delete")
    assert "Delete this contribution?" in page_text(confirm)
    assert fresh(Contribution, contribution.id).status == "visible"
    response = client.post(f"/contributions/{contribution.id}/delete")
    assert response.status_code == 302
    assert "Soon gone." not in page_text(client.get(response.headers["Location"]))
    assert fresh(Contribution, contribution.id).status == "deleted"
    client.post("/logout")
    assert client.get(f"/contributions/{contribution.id}").status_code == 404


def test_the_newcomer_in_the_fair_exposure_slot_is_labelled_new(client):
    prompt = make_prompt()
    first, second, third = (
        make_contribution(prompt=prompt, body=f"Answer {n}.") for n in range(1, 4)
    )
    for older in (first, second, third):
        rate_many(older, [5])
    newest = make_contribution(prompt=prompt, body="Answer 4.")
    html = prompt_page(client, prompt).text
    assert html.count(">New</span>") == 1
    card = html[html.index(f'id="c{newest.id}"') :]
    assert card.index(">New</span>") < card.index("</article>")
    order = [
        int(n) for n in re.findall(r'<article class="card contribution[^"]*" id="c(\d+)"', html)
    ]
    assert order[2] == newest.id
    newest_first = prompt_page(client, prompt, "?sort=newest").text
    assert ">New</span>" not in newest_first


def test_an_editors_pick_is_badged_but_keeps_its_place(client):
    prompt = make_prompt()
    best = make_contribution(prompt=prompt, body="Best answer.")
    rate_many(best, [5, 5])
    picked = make_contribution(prompt=prompt, body="Picked answer.")
    moderation.set_featured(make_moderator(), picked, True)
    text = page_text(prompt_page(client, prompt))
    assert text.count("Editor's pick") == 1
    assert text.index("Best answer.") < text.index("Editor's pick") < text.index("Picked answer.")


def test_a_contribution_shows_its_author_name_after_the_account_is_gone(client):
    author = make_user(display_name="Gone Coach")
    contribution = make_contribution(author=author, body="Still useful.")
    db.session.delete(db.session.get(User, author.id))
    db.session.commit()
    assert fresh(Contribution, contribution.id).author_id is None
    text = page_text(prompt_page(client, contribution.prompt))
    assert "Gone Coach" in text and "Still useful." in text


def test_a_hidden_or_missing_contribution_is_a_404(client):
    assert client.get("/contributions/999").status_code == 404
    assert client.get("/contributions/999/revisions").status_code == 404
