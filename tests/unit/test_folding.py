"""Long contributions fold behind "Show more", keeping their first part in view."""

from __future__ import annotations

from forum.folding import FOLD_OVER_WORDS, fold
from forum.rendering import render_markdown


def words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


def test_a_short_contribution_does_not_fold():
    source = words(FOLD_OVER_WORDS)
    html = render_markdown(source)
    assert fold(html, source) == (html, "")


def test_a_long_contribution_keeps_its_first_paragraphs_in_view_and_folds_the_rest():
    source = "\n\n".join(f"{words(40)} paragraph{n}." for n in range(6))
    html = render_markdown(source)

    shown, rest = fold(html, source)

    assert shown + "\n" + rest == html.strip()
    assert "paragraph0." in shown and "paragraph1." in shown
    assert "paragraph2." not in shown
    assert rest.startswith("<p>") and "paragraph5." in rest


def test_one_long_paragraph_folds_after_a_sentence():
    source = " ".join(f"{words(14)} end{n}." for n in range(14))
    html = render_markdown(source)

    shown, rest = fold(html, source)

    assert shown.startswith("<p>") and shown.endswith(".</p>")
    assert rest.startswith("<p>") and rest.endswith("</p>")
    assert "end13." in rest and "end13." not in shown
    assert "end0." in shown


def test_a_list_is_never_cut_inside():
    items = "\n".join(f"- {words(12)} item{n}" for n in range(20))
    source = f"{words(10)} intro.\n\n{items}\n\n{words(30)} outro."
    html = render_markdown(source)

    shown, rest = fold(html, source)

    assert shown.count("<ul>") == shown.count("</ul>") == 1
    assert "outro." in rest
