"""What a prompt page reads to be built: a cold page (what a reader arriving from a search
engine gets) costs a statement per table it reads apart."""

from __future__ import annotations

import re

from tests.factories import make_contribution, make_prompt, rate_many
from tests.helpers import page_text, statements_sent


def test_a_prompt_page_reads_the_prompt_whole_at_once_and_each_cards_source_with_its_card(
    app, client
):
    """The prompt with its key points, tags and source is one statement, and the cards' sources
    come with the cards: each one more statement of every page built (a cold page is what a
    reader arriving from a search engine gets)."""
    from forum.extensions import db
    from forum.models import ImportedPost

    prompt = make_prompt(title="Keeping a client moving", tags=("coaching", "motivation"))
    contribution = make_contribution(prompt=prompt, body="Ask what they already tried.")
    site = "coaching.example.org"
    db.session.add_all([
        ImportedPost(site=site, original_id=7, kind="prompt", prompt_id=prompt.id,
                     author_name="Quinn"),
        ImportedPost(site=site, original_id=8, kind="contribution",
                     contribution_id=contribution.id, author_name="Robin"),
    ])  # fmt: skip
    db.session.commit()
    path = f"/prompts/{prompt.id}/{prompt.slug}"

    sent = statements_sent(app, lambda: client.get(path))

    text = page_text(client.get(path))
    assert "Cultivate trust" in text and "#motivation" in text
    assert "original question" in text and "author Quinn" in text
    assert "original answer" in text and "author Robin" in text
    # A statement of their own reads its rows first ("SELECT key_points.prompt_id, ...").
    alone = [s for s in sent if re.match(r"SELECT (key_points|prompt_tags|imported_posts)\.", s)]
    assert alone == []


def test_a_prompt_whose_contributions_fit_on_one_page_reads_them_in_one_statement(app, client):
    """Most prompts have fewer contributions than a page holds: they are read whole and in
    order at once, the newcomer's slot placed among them, instead of ordering narrow rows
    first and reading the page's rows after."""
    prompt = make_prompt(title="Keeping a client moving")
    answers = [make_contribution(prompt=prompt, body=f"Answer number {n}.") for n in range(5)]
    rate_many(answers[0], [5, 5, 5, 5, 5])
    rate_many(answers[1], [4, 4, 4, 4, 4])
    rate_many(answers[2], [3, 3, 3, 3, 3])
    path = f"/prompts/{prompt.id}/{prompt.slug}"

    sent = statements_sent(app, lambda: client.get(path))

    # Statements reading contributions' rows ("SELECT contributions.id, ... FROM contributions").
    listing = [
        s for s in sent if re.match(r"SELECT contributions\.id\b.*\bFROM contributions\b", s, re.S)
    ]
    assert len(listing) == 1
    text = page_text(client.get(path))
    # Best first, and the newest unrated answer in the third place (the newcomer's slot).
    order = [int(n) for n in re.findall(r"Answer number (\d)", text)]
    assert order == [0, 1, 4, 2, 3]
