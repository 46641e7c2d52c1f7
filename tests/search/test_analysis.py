"""The index's text analysis gives the terms and positions of Whoosh's English analyzer: the same
words match, phrases match at the same places, and indexes written before keep matching."""

from __future__ import annotations

import pytest
from whoosh.analysis import LanguageAnalyzer
from whoosh.formats import Positions

from forum.search.whoosh.fields import PositionsFormat
from forum.search.whoosh.schema import make_schema

TEXTS = [
    "Listening builds trust; the students' questions were answered at 3.5 p.m. by Dr. O'Neil.",
    "The the THE a an of: running runners ran, flies flying skies cried dying.",
    "Über-naïve café déjà vu — e.g. x.y.z and 2nd-3rd",
    "",
    "a",
    "   spaces   between   words   ",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"mode": "query"},
        {"positions": True, "mode": "index"},
        {"positions": True, "chars": True},
        {"removestops": False, "positions": True},
    ],
)
def test_the_index_analyses_text_as_whoosh_english_analyzer_does(text, options):
    ours = make_schema()["body"].analyzer
    whoosh = LanguageAnalyzer("en")

    def tokens(analyzer):
        return [
            (t.text, getattr(t, "pos", None), getattr(t, "startchar", None), t.stopped)
            for t in analyzer(text, **options)
        ]

    assert tokens(ours) == tokens(whoosh)


@pytest.mark.parametrize("text", TEXTS)
def test_the_index_writes_the_postings_whoosh_writes(text):
    ours = make_schema()["body"]
    expected = Positions(field_boost=ours.format.field_boost)

    written = list(ours.format.word_values(text, ours.analyzer, mode="index"))

    assert isinstance(ours.format, PositionsFormat)
    assert written == list(expected.word_values(text, LanguageAnalyzer("en"), mode="index"))
