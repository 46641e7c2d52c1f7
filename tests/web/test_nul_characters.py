"""NUL characters have no place in any field; they are refused with 400 before they reach the
database (PostgreSQL cannot store them and would answer with an error)."""

from __future__ import annotations

import pytest

from tests.factories import make_prompt


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/login", {"username": "coach\x00", "password": "whatever password"}),
        ("post", "/register", {"username": "a\x00b", "email": "a@e.org", "password": "x" * 12}),
        ("get", "/strategies?tag=a%00b", None),
        ("get", "/search?q=trust%00", None),
    ],
)
def test_a_nul_character_in_a_form_or_query_is_refused_with_400(client, method, path, data):
    response = getattr(client, method)(path, data=data)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_a_page_without_nul_characters_is_unaffected(client):
    prompt = make_prompt()
    assert client.get(f"/prompts/{prompt.id}/{prompt.slug}?sort=newest").status_code == 200
