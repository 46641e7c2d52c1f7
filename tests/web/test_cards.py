"""Cards say one usefulness signal (stars with the count), why a card sits where the stars alone
would not put it, and what the reader just did to them, on the card itself; profiles say
reputation in words; "How ranking works" explains the order with figures of the ranking itself."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert

from forum import ranking
from forum.extensions import db
from forum.models import Flag
from tests.factories import make_contribution, make_moderator, make_prompt, make_user, rate_many
from tests.helpers import page_text, prompt_page, statements_during


def card_text(html: str, contribution_id: int) -> str:
    """The visible text of one card, from its opening tag to the next card's."""
    start = html.index(f'id="c{contribution_id}"')
    end = html.find("<article", start)
    markup = html[start : end if end != -1 else len(html)]
    return " ".join(re.sub(r"<[^>]+>", " ", markup).replace("&#39;", "'").split())


def test_a_card_shows_stars_with_the_count_and_never_the_raw_score(client):
    contribution = make_contribution()
    rate_many(contribution, [5, 4, 5, 5, 4, 5])
    html = prompt_page(client, contribution.prompt).text
    text = card_text(html, contribution.id)
    assert "4.7 out of 5 from 6 ratings" in text
    assert "usefulness score" not in html
    assert f"{contribution.score:.2f}" not in text
    assert '<span class="stars" aria-hidden="true">★★★★★' in html
    assert 'class="usefulness__signal" href="/help/ranking"' in html


def test_cards_say_why_they_sit_where_the_stars_alone_would_not_put_them(client):
    unrated = make_contribution()
    once = make_contribution(prompt=unrated.prompt)
    rate_many(once, [2])
    many = make_contribution(prompt=unrated.prompt)
    rate_many(many, [4, 4, 4, 4, 4])
    html = prompt_page(client, unrated.prompt).text
    assert "Not rated yet" in card_text(html, unrated.id)
    assert "Few ratings yet, so it is ranked with caution" in card_text(html, once.id)
    assert "Few ratings" not in card_text(html, many.id)


def test_the_new_contribution_in_the_fair_slot_says_why_it_is_there(client):
    prompt = make_prompt()
    for _ in range(4):
        rate_many(make_contribution(prompt=prompt), [5, 5, 5, 5, 5])
    newcomer = make_contribution(prompt=prompt, body="Posted late, still good.")
    html = prompt_page(client, prompt).text
    text = card_text(html, newcomer.id)
    assert "New: shown here so new experiences get seen." in text
    cards = re.findall(r'<article class="card contribution[^"]*" id="c(\d+)"', html)
    assert cards.index(str(newcomer.id)) == ranking.FAIR_SLOT_INDEX


def test_how_ranking_works_shows_the_ranking_functions_own_figures(client):
    response = client.get("/help/ranking")
    assert response.status_code == 200
    text = page_text(response)
    one_five = ranking.usefulness_score((0, 0, 0, 0, 1))
    forty = ranking.usefulness_score((0, 1, 2, 9, 28))
    assert f"5.0 out of 5 from 1 rating {one_five:.2f}" in text
    assert f"4.6 out of 5 from 40 ratings {forty:.2f}" in text
    assert f"starts at {ranking.UNRATED_SCORE:.2f}" in text
    assert f"position {ranking.FAIR_SLOT_INDEX + 1} of the first page" in text
    # Every page's footer leads here.
    assert 'href="/help/ranking">How ranking works</a>' in client.get("/").text


def test_a_profile_says_how_many_contributions_members_rated_useful(client):
    author = make_user(username="ana")
    useful = [make_contribution(author=author) for _ in range(2)]
    rate_many(useful[0], [5, 4])
    rate_many(useful[1], [5])
    rate_many(make_contribution(author=author), [1])  # below an unrated one: not useful
    make_contribution(author=author)  # unrated
    text = page_text(client.get("/u/ana"))
    assert "Rated useful 2 contributions rated useful by 3 members" in text
    assert "Reputation" not in text
    assert "Rated useful Not yet" in page_text(client.get(f"/u/{make_user().username}"))


def test_the_profile_api_keeps_its_reputation(client):
    author = make_user(username="bodhi")
    rate_many(make_contribution(author=author), [5])
    body = client.get("/api/v1/users/bodhi").get_json()
    expected = ranking.usefulness_score((0, 0, 0, 0, 1)) - ranking.UNRATED_SCORE
    assert abs(body["reputation"] - expected) < 0.001
    assert "rated_useful" not in body


def test_after_rating_the_message_is_on_the_card_not_at_the_top(client, login):
    contribution = make_contribution()
    other = make_contribution(prompt=contribution.prompt)
    login(make_user())
    client.get("/")  # the welcome is said
    response = client.post(f"/contributions/{contribution.id}/rating", data={"score": "4"})
    html = client.get(response.headers["Location"]).text
    assert html.count("Your rating of 4 is saved.") == 1
    assert "Your rating of 4 is saved." in card_text(html, contribution.id)
    assert "Your rating: 4" in card_text(html, contribution.id)
    assert 'class="flashes"' not in html
    assert "saved" not in card_text(html, other.id)
    # Shown once: the next page says nothing more.
    assert "Your rating of 4 is saved." not in prompt_page(client, contribution.prompt).text


def test_a_card_message_for_a_card_not_on_the_page_is_shown_at_the_top(client, login):
    contribution = make_contribution()
    login(make_user())
    client.post(
        f"/contributions/{contribution.id}/rating", data={"score": "3", "next": "/strategies"}
    )
    html = client.get("/").text
    assert 'class="flashes"' in html
    assert "Your rating of 3 is saved." in html


def test_a_removed_rating_and_a_pointless_remove_come_back_to_the_card(client, login):
    contribution = make_contribution()
    login(make_user())
    client.post(f"/contributions/{contribution.id}/rating", data={"score": "5"})
    for _ in range(2):
        response = client.post(f"/contributions/{contribution.id}/rating", data={"remove": "y"})
        assert response.status_code == 302
        html = client.get(response.headers["Location"]).text
        text = card_text(html, contribution.id)
        assert "Your rating is removed." in text
        assert "How useful?" in text


def test_flagging_shows_the_flagged_state_on_the_card_from_the_members_own_query(client, login):
    contribution = make_contribution()
    untouched = make_contribution(prompt=contribution.prompt)
    login(make_user())
    client.post(f"/contributions/{contribution.id}/flags", data={"reason": "spam"})
    html = prompt_page(client, contribution.prompt).text
    assert "You flagged this · thanks" in card_text(html, contribution.id)
    assert "Send flag" not in card_text(html, contribution.id)
    assert "Send flag" in card_text(html, untouched.id)
    # Once a moderator settles the flag, the member may flag it again.
    db.session.query(Flag).update({"status": "dismissed"})
    db.session.commit()
    html = prompt_page(client, contribution.prompt).text
    assert "Send flag" in card_text(html, contribution.id)


def test_flag_state_costs_no_statement_per_card(app, client, login):
    prompt = make_prompt()
    cards = [make_contribution(prompt=prompt) for _ in range(6)]
    member = make_user()
    login(member)

    def count() -> int:
        with statements_during() as sent:
            assert prompt_page(client, prompt).status_code == 200
        return len(sent)

    count()  # the welcome is said, the page kept
    before = count()
    for card in cards[:3]:
        client.post(f"/contributions/{card.id}/flags", data={"reason": "spam"})
    count()  # the page with the three notices
    assert count() == before


def test_featuring_says_so_on_the_card(client, login):
    contribution = make_contribution()
    login(make_moderator())
    response = client.post(f"/contributions/{contribution.id}/feature")
    html = client.get(response.headers["Location"]).text
    assert "Marked as editor's pick." in card_text(html, contribution.id)
    assert html.count("Marked as editor&#39;s pick.") + html.count("Marked as editor's pick.") == 1


def test_posting_says_thank_you_on_the_new_card(client, login):
    prompt = make_prompt()
    login(make_user())
    client.get("/")  # the welcome is said
    response = client.post(f"/prompts/{prompt.id}/contributions", data={"body": "Ask first."})
    html = client.get(response.headers["Location"]).text
    new_id = int(response.headers["Location"].rsplit("#c", 1)[1])
    assert "Thank you: your experience is posted." in card_text(html, new_id)
    assert 'class="flashes"' not in html


def test_a_members_own_marks_do_not_grow_with_everyone_elses_open_flags(app, client, login):
    """The member's flags on a page are found by their own index, not by walking every open
    flag of the forum: SQLite's steps for the member's marks stay the same when other members
    have thousands of open flags elsewhere."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("counts the steps of SQLite's virtual machine")
    from forum.services import member_state

    prompt = make_prompt()
    card = make_contribution(prompt=prompt)
    elsewhere = make_contribution()
    member = make_user()
    login(member)
    client.post(f"/contributions/{card.id}/flags", data={"reason": "spam"})

    def steps() -> int:
        counted = [0]

        def count() -> int:
            counted[0] += 1
            return 0

        raw = db.session.connection().connection.driver_connection
        raw.set_progress_handler(count, 1)
        try:
            state = member_state.on_prompt(member, prompt.id)
        finally:
            raw.set_progress_handler(None, 1)
        assert state.flagged == {card.id}
        return counted[0]

    before = steps()
    # Open flags by members since gone (no reporter), on a contribution of another prompt.
    db.session.execute(
        insert(Flag),
        [{"contribution_id": elsewhere.id, "reporter_id": None, "reason": "spam"}] * 3000,
    )
    db.session.commit()
    assert steps() < before + 500
