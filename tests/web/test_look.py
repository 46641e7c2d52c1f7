"""The prompt page's side rail (key points, who contributed, related reading) and members'
initials avatars: decorative beside their names, the same colour wherever they appear."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from forum.services import moderation
from tests.factories import make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import page_text


def _rail(html: str) -> str:
    return html[html.index('<aside class="rail"') : html.index("</aside>")]


def _text(markup: str) -> str:
    return page_text(SimpleNamespace(get_data=lambda as_text: markup))


def test_the_prompt_page_has_a_rail_with_key_points_and_who_contributed(client):
    prompt = make_prompt()
    maria = make_user(username="maria", display_name="Maria Okafor")
    kofi = make_user(username="kofi", display_name="Kofi Mensah")
    make_contribution(prompt=prompt, author=maria, body="Ask what they would lose.")
    make_contribution(prompt=prompt, author=maria, body="Start with one small step.")
    make_contribution(prompt=prompt, author=kofi, body="Name the habit first.")
    html = client.get(f"/prompts/{prompt.id}/{prompt.slug}").get_data(as_text=True)
    rail = _rail(html)
    assert 'aria-label="About this prompt"' in rail
    assert "Key points" in rail and "Cultivate trust" in rail
    text = _text(rail)
    assert "Who contributed" in text
    # Most contributions first, each with their count.
    assert text.index("Maria Okafor") < text.index("Kofi Mensah")
    assert "2 contributions" in text and "1 contribution" in text
    assert re.search(r'<span class="avatar avatar--tone-\d" aria-hidden="true">MO</span>', rail)


def test_a_hidden_contributions_author_is_not_listed_as_a_contributor(client):
    prompt = make_prompt()
    hidden = make_contribution(prompt=prompt, author=make_user(display_name="Pat Hidden"))
    moderation.hide(make_moderator(), hidden, "names a client")
    rail = _text(_rail(client.get(f"/prompts/{prompt.id}/{prompt.slug}").get_data(as_text=True)))
    assert "Pat Hidden" not in rail
    assert "Nobody yet." in rail


def test_cards_and_profiles_show_the_same_decorative_avatar(client):
    dana = make_user(username="dana", display_name="Dana Coach")
    contribution = make_contribution(author=dana)
    prompt = contribution.prompt
    page = client.get(f"/prompts/{prompt.id}/{prompt.slug}").get_data(as_text=True)
    profile = client.get("/u/dana").get_data(as_text=True)
    card = page[page.index(f'id="c{contribution.id}"') :]
    on_card = re.search(
        r'<span class="avatar (avatar--tone-\d) avatar--card" aria-hidden="true">DC</span>', card
    )
    on_profile = re.search(
        r'<div class="profile__name"><span class="avatar (avatar--tone-\d) avatar--large"'
        r' aria-hidden="true">DC</span><h1>Dana Coach</h1></div>',
        profile,
    )
    assert on_card and on_profile
    assert on_card.group(1) == on_profile.group(1)


def test_home_has_topics_and_how_it_works_in_its_rail(client):
    make_contribution()
    rail = _text(_rail(client.get("/").get_data(as_text=True)))
    assert "Topics" in rail and "How it works" in rail


def test_the_rail_names_the_first_contributors_and_counts_the_rest(client):
    prompt = make_prompt()
    for n in range(14):
        make_contribution(prompt=prompt, author=make_user(display_name=f"Coach Number{n:02d}"))
    rail = _text(_rail(client.get(f"/prompts/{prompt.id}/{prompt.slug}").get_data(as_text=True)))
    assert rail.count("Coach Number") == 12
    assert "and 2 more members" in rail


@pytest.mark.parametrize("members", [3, 12])
def test_the_rail_names_every_contributor_when_they_all_fit(client, members):
    prompt = make_prompt()
    for n in range(members):
        make_contribution(prompt=prompt, author=make_user(display_name=f"Coach Number{n:02d}"))
    rail = _text(_rail(client.get(f"/prompts/{prompt.id}/{prompt.slug}").get_data(as_text=True)))
    assert rail.count("Coach Number") == members
    assert "more member" not in rail
