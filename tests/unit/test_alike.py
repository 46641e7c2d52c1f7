"""The similarity both engines give prompts alike a text (forum/search/alike.py): bounded, 1 for
the same words in the same proportions, the title holding half the weight, and not fooled by a
short prompt that holds one heavy word."""

from __future__ import annotations

from forum.search import alike


def text(title: str, rest: str = "") -> alike.Text:
    return alike.weighed(title.split(), rest.split())


def similarity(a: alike.Text, b: alike.Text) -> float:
    found = alike.ranked(a, {1: b}, {}, 1)
    return found[0].similarity if found else 0.0


def test_the_same_text_is_1_and_texts_with_no_word_in_common_are_0():
    a = text("delegate work team", "ownership deadline deadline")

    assert similarity(a, a) == 1.0
    assert similarity(a, text("breathing calm", "nerves")) == 0.0


def test_the_same_title_over_other_intros_is_about_half():
    a = text("supervise new coach", "first year sessions")
    b = text("supervise new coach", "contracts payment video")

    assert 0.45 <= similarity(a, b) <= 0.55


def test_a_long_intro_does_not_drown_the_title():
    short = text("supervise new coach", "first year")
    long = text("supervise new coach", " ".join(f"word{n}" for n in range(200)))

    assert similarity(short, long) >= 0.5


def test_a_short_prompt_holding_one_heavy_word_ranks_below_a_near_duplicate():
    wanted = text("delegating work team", "delegate ownership outcomes agree deadlines accountable")
    prompts = {
        1: text("delegating", "delegate ownership"),
        2: text(
            "handing over ownership", "delegate ownership outcomes agree deadlines accountable"
        ),
    }

    assert [found.id for found in alike.ranked(wanted, prompts, {}, 2)] == [2, 1]


def test_common_words_pick_no_candidates_once_there_are_enough_documents():
    wanted = text("use coaching supervision")
    idfs = {"use": alike.idf(300, 1000), "coaching": alike.idf(50, 1000),
            "supervision": alike.idf(5, 1000)}  # fmt: skip

    assert [t for t, _ in alike.telling(wanted, idfs, n=1000)] == ["supervision", "coaching"]
    assert {t for t, _ in alike.telling(wanted, idfs, n=50)} == {"use", "coaching", "supervision"}


def test_control_characters_are_spaces_and_long_text_is_cut():
    assert alike.clean("a\x00b\x1fc", 10) == "a b c"
    assert len(alike.clean("x" * 10_000, alike.INTRO_CHARS)) == alike.INTRO_CHARS
