"""Names compared the way a reader's eye compares them, and the characters a name may not hold."""

from __future__ import annotations

import pytest

from forum.names import clean_display_name, hidden_characters, name_key

CYRILLIC_A, CYRILLIC_CAPITAL_EM, GREEK_CAPITAL_BETA = "\u0430", "\u041c", "\u0392"


@pytest.mark.parametrize(
    ("name", "lookalike"),
    [
        ("maria", "rnaria"),  # "rn" reads as "m"
        ("Maria Lindqvist", "MARIA LINDQVIST"),
        ("Maria Lindqvist", f"M{CYRILLIC_A}ria Lindqvist"),
        ("Maria Lindqvist", f"{CYRILLIC_CAPITAL_EM}ARIA LINDQVIST"),
        ("Bob", f"{GREEK_CAPITAL_BETA}ob"),
        ("Otto", "0tto"),  # zero and capital O
        ("Al Smith", "AI Smith"),  # small L and capital i
        ("lena", "1ena"),  # small L and one
        ("Maria Lindqvist", "Maria.Lindqvist"),
        ("Maria Lindqvist", "maria_lindqvist"),
        ("Maria Lindqvist", "  Maria   Lindqvist!"),
        ("Maria Lindqvist", "\uff2d\uff41\uff52\uff49\uff41 Lindqvist"),  # fullwidth letters
    ],
)
def test_names_a_reader_could_take_for_one_another_share_a_key(name, lookalike):
    assert name_key(name) == name_key(lookalike)


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Maria Lindqvist", "Mario Lindqvist"),
        ("Sam Rivera", "Tom Becker"),
        ("member1", "member2"),
        ("Lena", "Lea"),
        ("Mária", "Maria"),  # an accent is visible: Unicode's skeletons keep it
    ],
)
def test_names_that_look_different_keep_different_keys(name, other):
    assert name_key(name) != name_key(other)


def test_no_two_numbered_usernames_share_a_key():
    keys = {name_key(f"member{n}") for n in range(1, 3000)}
    assert len(keys) == 2999


def test_a_key_is_never_longer_than_its_column():
    assert len(name_key("\ufdfa" * 60)) <= 240


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ana   Coach ", "Ana Coach"),
        ("Ana\tB.\nCoach", "Ana B. Coach"),
        ("\uff21\uff4e\uff41", "Ana"),  # fullwidth
        ("\ufb01ona", "fiona"),  # the "fi" ligature
        ("Ana\u00a0Coach", "Ana Coach"),  # a no-break space
    ],
)
def test_a_display_name_is_stored_normalized_trimmed_and_with_single_spaces(typed, stored):
    assert clean_display_name(typed) == stored


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("\u202eairam", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Ma\u200bria", "U+200B ZERO WIDTH SPACE"),
        ("Ma\u200dria", "U+200D ZERO WIDTH JOINER"),
        ("Ma\u00adria", "U+00AD SOFT HYPHEN"),
        ("Maria\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("Maria\x07", "U+0007 a control character"),
        ("Maria\ue000", "U+E000 a private-use character"),
        ("Maria\U000e0080", "U+E0080 an unassigned code point"),
        ("Maria\ud800", "U+D800 a surrogate"),
        ("Maria\u1160", "U+1160 HANGUL JUNGSEONG FILLER"),
        ("Maria\u034f", "U+034F COMBINING GRAPHEME JOINER"),
    ],
)
def test_invisible_and_control_characters_are_named(name, named):
    assert hidden_characters(name) == [named]


def test_a_plain_name_has_no_hidden_characters():
    assert hidden_characters("Ana Okafor-Lindqvist, PCC (she/her) ✓") == []
