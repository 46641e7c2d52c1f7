"""Snippets are escaped text with <mark> as their only markup, whatever the author wrote."""

from __future__ import annotations

import pytest

from tests.factories import make_contribution, make_prompt
from tests.search.helpers import search
from tests.security.xss_corpus import XSS_VECTORS


@pytest.fixture
def dangerous(app):
    prompt = make_prompt(title="Dangerous bodies")
    return [make_contribution(prompt=prompt, body=vector) for vector in XSS_VECTORS[:30]]


@pytest.mark.parametrize("word", ["alert", "script", "onerror", "javascript"])
def test_a_snippet_holds_no_markup_but_its_marks(client, dangerous, word):
    body = search(client, word, type="contribution", per_page=100)

    assert body["items"], word
    for hit in body["items"]:
        bare = hit["snippet"].replace("<mark>", "").replace("</mark>", "")
        assert "<" not in bare and ">" not in bare, hit["snippet"]
