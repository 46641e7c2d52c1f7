"""Snippets as readers see them: the stretch of an answer with the most of their words, marked."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer

from forum.search.whoosh.highlighting import highlight

ANALYZER = LanguageAnalyzer("en")


def terms(*words):
    return {t.text for w in words for t in ANALYZER(w)}


def test_every_form_of_the_word_is_marked_and_the_rest_escaped():
    text = "Motivated students <b>learn</b>; motivating them is the job."
    snippet = highlight(text, terms("motivation"), ANALYZER)
    assert snippet == (
        "<mark>Motivated</mark> students &lt;b&gt;learn&lt;/b&gt;; <mark>motivating</mark> them "
        "is the job"
    )


def test_the_stretch_with_most_matches_wins_and_two_are_shown_in_text_order():
    filler = " ".join(["filler"] * 60)
    text = f"trust once. {filler} trust and more trust and trust again. {filler} trust at the end."
    snippet = highlight(text, terms("trust"), ANALYZER, top=2)
    first, second = snippet.split("...")
    assert first.count("<mark>") == 1 and second.count("<mark>") == 3
    assert len(highlight(text, terms("trust"), ANALYZER, top=1).split("...")) == 1
    assert highlight(text, terms("trust"), ANALYZER, top=1).count("<mark>") == 3


def test_a_fragment_stays_near_its_words():
    text = " ".join(["before"] * 100) + " listening " + " ".join(["after"] * 100)
    snippet = highlight(text, terms("listen"), ANALYZER)
    assert "<mark>listening</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 220


def test_words_are_cut_as_the_index_cuts_them():
    # The index reads "notes.motivation" as one word, so the snippet must not mark half of it.
    assert highlight("see notes.motivation", terms("motivation"), ANALYZER) == ""
    assert highlight("see notes. Motivation", terms("motivation"), ANALYZER).endswith(
        "<mark>Motivation</mark>"
    )
    assert highlight("nothing to see", terms("trust"), ANALYZER) == ""


def test_another_analyzer_is_highlighted_the_stock_way():
    analyzer = StandardAnalyzer()
    snippet = highlight("Kept promises build trust.", {"trust"}, analyzer)
    assert snippet == "Kept promises build <mark>trust</mark>"


FORMS = ["study", "studies", "studying", "studied", "dying", "die", "lying", "happy",
         "happiness", "motivate", "motivation", "motivated", "e.g.", "U.S.", "notes.motivation",
         "skies", "sky", "news", "early", "only", "run", "running", "runner", "the", "a",
         "Listening", "listen", "generously", "trust", "trusting", "x2", "café",
         "naïve"]  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    words=st.lists(st.sampled_from(FORMS), min_size=1, max_size=40),
    separators=st.lists(st.sampled_from([" ", ", ", ". ", " (", ") ", "\n", "-"]), min_size=1),
    query=st.sampled_from(FORMS),
)
def test_exactly_the_words_the_index_matches_are_marked(words, separators, query):
    text = "".join(w + separators[n % len(separators)] for n, w in enumerate(words))
    wanted = terms(query)
    expected = [t.text for t in ANALYZER(text, chars=True, removestops=False)]
    snippet = highlight(text, wanted, ANALYZER, maxchars=10**6, surround=10**6, top=1)
    marked = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", snippet)]
    assert [t.text for t in ANALYZER(" ".join(marked))] == [t for t in expected if t in wanted]


STEMS = ["trust", "tri", "stud", "sky", "ist", "été", "kept"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("trustTRUSTkeptiyIY_.-' 2éÉ") + ["İ", "ı", "ſ", "K", "ß"]),
        max_size=60,
    ),
    stems=st.sets(st.sampled_from(STEMS), min_size=1),
)
def test_the_words_that_may_match_are_found_whatever_their_case(text, stems):
    """Candidates are looked for in the text in lower case: they are the words a case-blind
    search finds, at the same places, with capitals, dotted and dotless i, long s, the Kelvin
    sign, an underscore or a dot before them."""
    from forum.search import fragments

    prefixes = "|".join(sorted({fragments._prefix(s) for s in stems}, reverse=True))
    blind = re.compile(rf"(?<!\w)(?<!\w\.)(?:{prefixes})\w*(?:\.?\w+)*", re.I)
    assert fragments.candidates(stems, text) == [m.span() for m in blind.finditer(text)]
