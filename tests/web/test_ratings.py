"""Rating contributions from 1 to 5, voting on prompts, and flagging, all without JavaScript."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.models import Flag, Prompt, Rating
from tests.factories import make_contribution, make_prompt, make_user, rate_many
from tests.helpers import fresh, page_text, prompt_page


def card_html(html: str, contribution_id: int) -> str:
    """The text of one card of a page, from its opening tag to the next card's."""
    start = html.index(f'id="c{contribution_id}"')
    end = html.find("<article", start)
    return page_text_of(html[start : end if end != -1 else len(html)])


def page_text_of(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).replace("&amp;", "&").split())


def test_a_member_rates_a_contribution_and_sees_the_new_average(client, login):
    contribution = make_contribution(body="Useful idea.")
    rate_many(contribution, [4])
    rater = make_user()
    login(rater)
    response = client.post(f"/contributions/{contribution.id}/rating", data={"score": "5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#c{contribution.id}")
    text = page_text(client.get(response.headers["Location"]))
    assert "4.5 out of 5 from 2 ratings" in text
    assert "Your rating of 5 is saved." in text
    assert db.session.query(Rating).filter_by(user_id=rater.id).one().score == 5


def test_the_rating_form_returns_to_the_listing_it_was_sent_from(client, login):
    contribution = make_contribution()
    login(make_user())
    back = f"/prompts/{contribution.prompt.id}/{contribution.prompt.slug}?sort=oldest"
    response = client.post(
        f"/contributions/{contribution.id}/rating", data={"score": "3", "next": back}
    )
    assert response.headers["Location"] == f"{back}#c{contribution.id}"
    evil = client.post(
        f"/contributions/{contribution.id}/rating", data={"score": "3", "next": "//evil.example"}
    )
    assert "evil" not in evil.headers["Location"]


def test_changing_a_rating_replaces_it_and_the_form_shows_the_current_score(client, login):
    contribution = make_contribution()
    login(make_user())
    client.post(f"/contributions/{contribution.id}/rating", data={"score": "2"})
    client.post(f"/contributions/{contribution.id}/rating", data={"score": "4"})
    response = prompt_page(client, contribution.prompt)
    text = page_text(response)
    assert "4.0 out of 5 from 1 rating" in text
    assert "Your rating: 4" in text
    assert 'name="score" value="4" aria-pressed="true"' in response.text
    assert 'name="score" value="2" aria-pressed="false"' in response.text
    assert "Remove my rating" in text
    assert db.session.query(Rating).count() == 1


def test_removing_a_rating_takes_it_out_of_the_average(client, login):
    contribution = make_contribution()
    login(make_user())
    client.post(f"/contributions/{contribution.id}/rating", data={"score": "5"})
    response = client.post(f"/contributions/{contribution.id}/rating", data={"remove": "y"})
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"]))
    assert "Not rated yet" in text
    assert "Your rating is removed." in text
    assert db.session.query(Rating).count() == 0


def test_a_rating_without_a_score_goes_back_to_the_card_with_the_reason(client, login):
    contribution = make_contribution()
    login(make_user())
    for data in ({}, {"score": "9"}, {"score": "lots"}, {"score": ""}):
        response = client.post(f"/contributions/{contribution.id}/rating", data=data)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"#c{contribution.id}")
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        card = card_html(page.text, contribution.id)
        assert "Choose a score from 1 to 5." in card
    assert db.session.query(Rating).count() == 0


def test_each_star_is_a_button_of_one_small_form(client, login):
    contribution = make_contribution()
    login(make_user())
    html = prompt_page(client, contribution.prompt).text
    form = html[
        html.index('class="rate-form"') : html.index("</form>", html.index('class="rate-form"'))
    ]
    assert form.count('type="submit"') == 5
    for n in range(1, 6):
        assert f'name="score" value="{n}" aria-pressed="false"' in form
        assert f"Rate {n} out of 5" in form
    assert "How useful?" in form
    assert 'type="radio"' not in form
    assert "Remove" not in form  # nothing to remove yet


def test_an_author_sees_no_rating_form_on_their_own_contribution(client, login):
    author = make_user()
    contribution = make_contribution(author=author)
    login(author)
    response = prompt_page(client, contribution.prompt)
    assert f'action="/contributions/{contribution.id}/rating"' not in response.text
    assert "This is your contribution: others rate it." in page_text(response)
    refused = client.post(f"/contributions/{contribution.id}/rating", data={"score": "5"})
    assert refused.status_code == 403
    assert db.session.query(Rating).count() == 0


def test_a_reader_sees_the_average_but_no_rating_form(client):
    contribution = make_contribution()
    rate_many(contribution, [5, 4, 4])
    response = prompt_page(client, contribution.prompt)
    assert "4.3 out of 5 from 3 ratings" in page_text(response)
    assert 'name="score"' not in response.text


def test_a_member_votes_a_prompt_helpful_changes_their_mind_and_withdraws(client, login):
    prompt = make_prompt()
    login(make_user())
    response = client.post(f"/prompts/{prompt.id}/helpful", data={"helpful": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#helpful")
    page = client.get(response.headers["Location"])
    assert "1 yes · 0 no" in page_text(page)
    assert 'aria-pressed="true">Yes, helpful' in page.text
    client.post(f"/prompts/{prompt.id}/helpful", data={"helpful": "no"})
    assert "0 yes · 1 no" in page_text(prompt_page(client, prompt))
    client.post(f"/prompts/{prompt.id}/helpful", data={"helpful": "withdraw"})
    assert "0 yes · 0 no" in page_text(prompt_page(client, prompt))
    stored = fresh(Prompt, prompt.id)
    assert (stored.helpful_yes, stored.helpful_no) == (0, 0)


def test_a_nonsense_helpful_vote_is_refused(client, login):
    prompt = make_prompt()
    login(make_user())
    assert (
        client.post(f"/prompts/{prompt.id}/helpful", data={"helpful": "maybe"}).status_code == 400
    )
    assert fresh(Prompt, prompt.id).helpful_yes == 0


def test_a_member_flags_a_contribution_once_and_the_card_says_so(client, login):
    contribution = make_contribution()
    reporter = make_user()
    login(reporter)
    response = client.post(
        f"/contributions/{contribution.id}/flags", data={"reason": "spam", "note": "An advert."}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    card = card_html(page.text, contribution.id)
    assert "a moderator will look at this" in card
    assert "You flagged this · thanks" in card
    assert "Send flag" not in card
    flag = db.session.query(Flag).one()
    assert (flag.reason, flag.note, flag.reporter_id) == ("spam", "An advert.", reporter.id)
    again = client.post(f"/contributions/{contribution.id}/flags", data={"reason": "abuse"})
    assert again.status_code == 302
    card = card_html(client.get(again.headers["Location"]).text, contribution.id)
    assert "You flagged this already" in card
    assert "You flagged this · thanks" in card
    assert db.session.query(Flag).count() == 1


def test_a_flag_with_a_note_too_long_is_sent_back_with_the_reason(client, login):
    contribution = make_contribution()
    login(make_user())
    response = client.post(
        f"/contributions/{contribution.id}/flags", data={"reason": "other", "note": "x" * 1001}
    )
    assert response.status_code == 422
    assert 'id="note-error">Use at most 1000 characters.' in response.text
    assert db.session.query(Flag).count() == 0


def test_the_flag_form_offers_the_four_reasons(client, login):
    contribution = make_contribution()
    login(make_user())
    html = prompt_page(client, contribution.prompt).text
    for reason in ("spam", "abuse", "off_topic", "other"):
        assert f'<option value="{reason}">' in html
    assert f'<label for="flag-note-{contribution.id}">' in html
