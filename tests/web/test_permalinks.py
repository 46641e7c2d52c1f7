"""A contribution's permanent address lands on the page of the prompt that shows it."""

from __future__ import annotations

from tests.factories import make_contribution, make_prompt, rate_many


def test_a_permalink_lands_on_the_page_that_lists_the_contribution(app, client):
    app.config["CONTRIBUTIONS_PER_PAGE"] = 2
    prompt = make_prompt()
    made = [make_contribution(prompt=prompt, body=f"Experience number {n}.") for n in range(5)]
    for rank, contribution in enumerate(made[:4]):
        rate_many(contribution, [5] * (5 + 4 - rank))
    # Useful order: 0, 1, then the unrated newest (4) in the fair-exposure slot, 2, 3.
    last = made[2]

    response = client.get(f"/contributions/{last.id}")

    assert response.status_code == 302
    assert "page=2" in response.headers["Location"]
    assert response.headers["Location"].endswith(f"#c{last.id}")
    page = client.get(response.headers["Location"].split("#")[0])
    assert f'id="c{last.id}"' in page.get_data(as_text=True)


def test_a_permalink_on_the_first_page_carries_no_page_number(client):
    contribution = make_contribution()
    response = client.get(f"/contributions/{contribution.id}")
    assert response.status_code == 302
    assert "page=" not in response.headers["Location"]
