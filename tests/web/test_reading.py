"""Reading a prompt: long contributions fold behind "Show more" and each tag shows once."""

from __future__ import annotations

from tests.factories import make_contribution, make_prompt, make_user
from tests.helpers import page_text, prompt_page


def long_body() -> str:
    return "\n\n".join(
        f"Paragraph {n}: " + " ".join(["listen"] * 45) + f" end of part {n}." for n in range(5)
    )


def test_a_long_contribution_folds_behind_show_more_with_its_start_in_view(client):
    prompt = make_prompt()
    make_contribution(prompt=prompt, body=long_body())
    make_contribution(prompt=prompt, body="Short and sweet.")

    html = prompt_page(client, prompt).get_data(as_text=True)

    assert html.count('<details class="fold">') == 1
    before, after = html.split('<details class="fold">')
    assert "Paragraph 0:" in before and "Paragraph 4:" in after
    assert "Show more" in page_text(prompt_page(client, prompt))


def test_a_tag_written_in_the_text_is_a_link_there_and_not_a_chip_again(client):
    prompt = make_prompt(tags=("coaching",))
    make_contribution(prompt=prompt, body="Small steps. #goals")

    html = prompt_page(client, prompt).get_data(as_text=True)

    assert html.count('href="/search?tag=goals"') == 1
    assert html.count('href="/search?tag=coaching"') == 1


def test_by_key_point_lists_the_best_contributions_under_each_key_point(client):
    prompt = make_prompt(key_points=(("Cultivate trust", ""), ("Set goals", "")))
    trust, goals = prompt.key_points
    for n in range(4):
        make_contribution(prompt=prompt, body=f"Trust idea {n}.", key_point_id=trust.id)
    make_contribution(prompt=prompt, body="Goal idea.", key_point_id=goals.id)
    make_contribution(prompt=prompt, body="Loose idea.")

    response = prompt_page(client, prompt, "?view=key_points")

    text = page_text(response)
    assert "6 contributions, by key point" in text
    text = text[text.index("6 contributions, by key point") :]
    assert text.index("Cultivate trust") < text.index("Trust idea") < text.index("Set goals")
    assert text.index("Set goals") < text.index("Goal idea.") < text.index("Answering no key point")
    assert text.index("Answering no key point") < text.index("Loose idea.")
    assert text.count("Trust idea") == 3
    assert "4 contributions · the best 3 shown · See all 4" in text
    assert 'aria-current="page">By key point</a>' in response.get_data(as_text=True)


def test_by_key_point_is_cached_per_view_and_right_for_a_member(client, login):
    prompt = make_prompt()
    trust = prompt.key_points[0]
    make_contribution(prompt=prompt, body="Trust idea.", key_point_id=trust.id)
    assert "By key point" in page_text(prompt_page(client, prompt))

    login(make_user())
    text = page_text(prompt_page(client, prompt, "?view=key_points"))

    assert "1 contribution, by key point" in text
    assert "Trust idea." in text


def test_the_history_shows_what_each_edit_changed_as_a_diff(client, login):
    author = make_user()
    contribution = make_contribution(author=author, body="Ask why first.")
    login(author)
    client.post(
        f"/contributions/{contribution.id}/edit",
        data={"body": "Ask how first, then listen.", "key_point_id": ""},
    )

    response = client.get(f"/contributions/{contribution.id}/revisions")

    html = response.get_data(as_text=True)
    assert '<del><span class="visually-hidden">[removed: </span>why' in html
    assert '<ins><span class="visually-hidden">[added: </span>how' in html
    assert "2 words taken out (struck through), 4 put in (highlighted)" in page_text(response)
