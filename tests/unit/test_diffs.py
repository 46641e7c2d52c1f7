"""What an edit changed, word by word, marked for eyes and for screen readers."""

from __future__ import annotations

from forum.diffs import changed_words, word_diff


def test_words_taken_out_and_put_in_are_marked_and_the_rest_kept():
    html = str(word_diff("Ask why first.", "Ask how first, then listen."))

    assert html.startswith("Ask ")
    assert '<del><span class="visually-hidden">[removed: </span>why' in html
    assert '<ins><span class="visually-hidden">[added: </span>how' in html
    assert "listen." in html


def test_text_is_escaped_in_a_diff():
    html = str(word_diff("<b>old</b>", "<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_changed_words_counts_what_went_and_came():
    assert changed_words("one two three", "one four three five") == (1, 2)
