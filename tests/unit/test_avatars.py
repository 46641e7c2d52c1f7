"""Initials avatars: letters a person recognises, a colour that never changes between pages."""

from __future__ import annotations

from forum.avatars import TONES, initials, tone


def test_initials_are_the_first_and_last_names_first_letters():
    assert initials("Maria Okafor") == "MO"
    assert initials("Kofi Mensah Boateng") == "KB"
    assert initials("dana") == "D"
    assert initials("  léa   dupont ") == "LD"


def test_initials_pass_over_words_that_start_with_no_letter():
    assert initials("🌱 Sam") == "S"
    assert initials("(Coach) Ana") == "CA"
    assert initials("") == "?"
    assert initials("🌱 ✨") == "?"


def test_a_usernames_tone_is_stable_and_in_range():
    assert tone("maria") == tone("maria")
    assert {tone(f"member{n}") for n in range(200)} == set(range(TONES))
    # Fixed, not per process: the same in every worker and after a restart.
    assert tone("maria") == 1
