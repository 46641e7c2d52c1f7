"""What people type is never refused (docs/api.md, "Search"): through GET /api/v1/search and the
/search page, on each engine. A stray quote or bracket, a dangling operator are read as text;
a long query keeps its most telling words and says so; 400 only for an impossible field value."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.search import bounds, get_engine
from forum.search.query import MAX_QUERY, MAX_TERMS, parse, words_of
from forum.services.search import LONG_QUERY
from tests.factories import make_contribution, make_prompt
from tests.helpers import page_text
from tests.search.helpers import assert_bad_query, found, search, search_url

READ_AS_TRUST = [
    "(trust",
    "trust)",
    ")trust(",
    "trust OR",
    "OR trust",
    "AND trust",
    "trust AND",
    "trust NOT",
    "trust -",
    "trust ()",
    '"trust',
    'trust "',
    "((trust)",
    "(" * 245 + "trust" + ")" * 245,
    "(" * 300 + "trust",
]


@pytest.mark.parametrize("q", READ_AS_TRUST)
def test_a_stray_quote_bracket_or_operator_finds_what_the_words_find(client, trust, q):
    assert found(client, q) == found(client, "trust") != set()


def test_a_stray_quote_keeps_the_words_after_it(client, trust):
    _, answer = trust

    assert ("contribution", answer.id) in found(client, '"kept promises')


@pytest.mark.parametrize("q", ['"(*', "AND", "OR", "NOT", "-", "?!", "-trust", "NOT trust", "()"])
def test_a_query_with_nothing_to_search_for_answers_200_with_no_hits(client, trust, q):
    body = search(client, q)

    assert (body["items"], body["total"], body["notice"]) == ([], 0, None)


def test_only_excluded_words_beside_a_filter_list_what_the_filter_selects(client, trust):
    assert found(client, "-spam #listening") == found(client, "", tag="listening") != set()


def test_only_an_excluded_filter_answers_200_with_no_hits(client, trust):
    assert search(client, "-#listening")["total"] == 0


def test_a_field_inside_brackets_filters_the_query(client, trust):
    assert found(client, "(trust #listening)") == found(client, "trust #listening") != set()
    assert found(client, "(trust #nosuchtag)") == set()


@pytest.mark.parametrize(
    ("q", "message"),
    [("trust type:other", "type: is prompt or contribution, not 'other'"),
     ("trust tag:9lives", "'9lives' is not a tag name")],
)  # fmt: skip
def test_an_impossible_field_value_is_still_a_400_saying_what_is_wrong(client, trust, q, message):
    assert_bad_query(client.get(search_url(q)), message)


PASTED = (
    "I have been coaching for about two years now and I keep running into the same problem "
    "with new clients. In the first few sessions they seem keen, they agree to the goals we "
    "set together, and they say they understand why the homework matters. Then around the "
    "third or fourth week they start cancelling at short notice, or they turn up without "
    "having done anything we agreed, and when I ask about it they get defensive. I do not "
    "want to sound like a teacher marking homework (that is not the relationship I want) "
    'but I also think "accountability" is part of what they pay me for. How do you build '
    "enough trust early on that a client tells you honestly what is getting in the way, "
    "instead of disappearing? Is it something I should raise in the very first session, or "
    "does it need to grow? Any concrete phrases or routines that worked for you?"
)


def test_a_pasted_question_of_150_words_answers_200_and_says_it_was_shortened(client, trust):
    assert 130 < len(PASTED.split()) < 160

    body = search(client, PASTED)

    assert body["notice"] == LONG_QUERY
    assert "40 most telling words" in body["notice"]


def test_a_short_query_has_no_notice(client, trust):
    assert search(client, "trust")["notice"] is None


def test_a_query_past_the_safety_cap_is_cut_not_refused(client, trust):
    _, answer = trust
    q = "trust " * (MAX_QUERY // 3)  # twice the cap; one word, repeated

    body = search(client, q)

    assert ("contribution", answer.id) in {(i["type"], i["id"]) for i in body["items"]}
    assert body["notice"] == LONG_QUERY


@pytest.fixture
def rare_among_common(app, search_backend):
    """Six contributions holding 45 common words; the last written also holds "zebra"."""
    common = [f"common{chr(97 + n % 26)}{chr(97 + n // 26)}" for n in range(45)]
    prompt = make_prompt(title="Many words")
    for _ in range(5):
        make_contribution(prompt=prompt, body=" ".join(common) + ".")
    rare = make_contribution(prompt=prompt, body=" ".join(common) + " zebra.")
    if search_backend == "postgres":
        # What autovacuum does on a live server: the statistics the engine estimates from.
        db.session.execute(text("ANALYZE contribution_search"))
        db.session.commit()
    return common, rare


def test_a_long_query_keeps_its_rarest_words_in_the_order_typed(rare_among_common):
    common, _ = rare_among_common
    typed = parse(" ".join([*common, "the", "zebra"])).text

    kept = list(words_of(bounds.telling(typed, get_engine().frequencies)))

    assert len(kept) == MAX_TERMS
    assert kept[-1] == "zebra"
    assert "the" not in kept
    assert kept[:-1] == [w for w in common if w in kept]  # in the order typed


def test_a_long_query_finds_what_its_rarest_word_finds_first(client, rare_among_common):
    common, rare = rare_among_common

    body = search(client, " ".join([*common, "zebra"]))

    assert body["items"][0]["id"] == rare.id
    assert body["notice"] == LONG_QUERY


# -- the HTML page ---------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["(trust", "trust AND", '"trust', "trust OR"])
def test_the_page_reads_a_stray_bracket_quote_or_operator_as_text(client, trust, q):
    _, answer = trust

    response = client.get("/search", query_string={"q": q})

    assert response.status_code == 200
    assert f"/contributions/{answer.id}" in response.get_data(as_text=True)


def test_the_page_answers_only_punctuation_with_nothing_found(client, trust):
    response = client.get("/search", query_string={"q": '"(*'})

    assert response.status_code == 200
    assert "Nothing matches" in page_text(response)


def test_the_page_says_above_the_results_that_a_long_query_was_shortened(client, trust):
    response = client.get("/search", query_string={"q": "trust " * 100})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert LONG_QUERY in page_text(response)
    assert html.index(LONG_QUERY) < html.index('id="results-heading"')


def test_the_page_of_a_pasted_question_answers_200_and_says_it_was_shortened(client, trust):
    response = client.get("/search", query_string={"q": PASTED})

    assert response.status_code == 200
    assert LONG_QUERY in page_text(response)


def test_the_page_answers_an_impossible_field_value_with_a_400_saying_why(client, trust):
    response = client.get("/search", query_string={"q": "trust type:other"})

    assert response.status_code == 400
    assert "type: is prompt or contribution, not 'other'" in page_text(response)


def test_the_search_boxes_take_a_pasted_question(client, trust):
    html = client.get("/search").get_data(as_text=True)

    assert 'maxlength="500"' not in html
    assert f'maxlength="{MAX_QUERY}"' in html


def test_an_at_name_naming_no_member_is_read_as_a_word_of_the_text(client, trust):
    # A pasted question mentions someone who is not a member here: it still finds the answer.
    pasted = "As @AndrewO said, how do you keep promises to build trust with a client?"
    assert ("contribution", trust[1].id) in found(client, pasted)
    # An @name alone that names nobody searches for the word.
    assert found(client, "@promises") == found(client, "promises") != set()


def test_an_at_name_naming_a_member_still_filters_by_author(client, trust):
    _, answer = trust
    author = answer.author.username
    other = make_contribution(prompt=trust[0], body="Trust also grows from listening.")

    assert found(client, f"trust @{author}") == {("contribution", answer.id)}
    assert ("contribution", other.id) not in found(client, f"trust @{author}")
    # Asked by the parameter, an author nobody is still a filter: nothing is theirs.
    assert found(client, "trust", author="nobody-here") == set()


def test_a_long_query_keeps_words_others_share_beside_a_long_code_string(
    rare_among_common, search_backend
):
    common, _ = rare_among_common
    # Thirty strings nobody else wrote, each in one post (a pasted stack trace), then the words.
    make_contribution(body=" ".join(f"x{n}q" for n in range(30)) + ".")
    if search_backend == "postgres":
        db.session.execute(text("ANALYZE contribution_search"))
        db.session.commit()
    strings = [f"x{n}q" for n in range(30)]
    typed = parse(" ".join([*strings, *common])).text

    kept = list(words_of(bounds.telling(typed, get_engine().frequencies)))

    assert len(kept) == MAX_TERMS
    assert len([w for w in kept if w in strings]) == MAX_TERMS // 2


def test_long_code_strings_of_one_post_each_fill_at_most_half_of_the_words_kept(
    rare_among_common, search_backend
):
    common, _ = rare_among_common
    # A pasted build log: twelve quoted strings of five words, each held by one post alone.
    strings = [f"agda plan h{n}q nix pkgs" for n in range(12)]
    for string in strings:
        make_contribution(body=f"It failed at {string} again.")
    if search_backend == "postgres":
        db.session.execute(text("ANALYZE contribution_search"))
        db.session.commit()
    typed = parse(" ".join([*(f'"{string}"' for string in strings), *common])).text

    kept = list(words_of(bounds.telling(typed, get_engine().frequencies)))
    shared = [w for w in kept if w in common]

    # Words one post alone holds fill at most half of the 40; the words others share the rest.
    assert 0 < len(kept) - len(shared) <= MAX_TERMS // 2
    assert len(shared) >= MAX_TERMS // 2
