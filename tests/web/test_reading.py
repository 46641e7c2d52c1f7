"""Reading a prompt: long contributions fold behind "Show more" and each tag shows once."""

from __future__ import annotations

from tests.factories import make_contribution, make_prompt
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
