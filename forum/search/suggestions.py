"""Did you mean, with bounded work: what both engines share.

Whatever the query, a suggestion looks at the first MAX_WORDS words, looks up close words for at
most MAX_CORRECTED of them that the index does not know (each engine hands over at most
MAX_CANDIDATES close words, best first), checks at most MAX_VERIFIED of those against visible
content, and starts no further lookup once BUDGET seconds are spent: the first unknown word
always gets its answer, a 200-word paste of made-up words costs a handful of lookups.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from forum.search.query import MAX_TERMS

MAX_WORDS = MAX_TERMS
MAX_CORRECTED = 5
MAX_CANDIDATES = 30
MAX_VERIFIED = 5
MIN_WORD_LENGTH = 3
# Longer words are names, codes or pasted strings rather than typing mistakes; their automata
# are also the dearest to build.
MAX_WORD_LENGTH = 20
BUDGET = 0.05  # seconds
clock = time.perf_counter


def max_edits(word: str) -> int:
    """How far a correction may be: one edit for a word of up to four letters, else two (two
    edits of a short word reach too many words; "trsut" needs two where a swap counts two)."""
    return 1 if len(word) <= 4 else 2


def correctable(words: Iterable[str]) -> list[str]:
    """The distinct words among the query's first MAX_WORDS that a suggestion may correct."""
    chosen: list[str] = []
    for word in list(words)[:MAX_WORDS]:
        if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and word not in chosen:
            chosen.append(word)
    return chosen


def correct(
    words: Iterable[str],
    known: Callable[[list[str]], set[str]],
    close_words: Callable[[str, float | None], list[str]],
    visible: Callable[[list[str]], set[str]],
) -> dict[str, str]:
    """Better spellings of the words, by an engine's three questions: which of these words does
    the index know, which words are close to this one (best first; the lookup may stop at the
    deadline it is given, none for the first word), which of these words does visible content
    hold."""
    started = clock()
    chosen = correctable(words)
    found = known(chosen) if chosen else set()
    unknown = [word for word in chosen if word not in found][:MAX_CORRECTED]
    better: dict[str, str] = {}
    deadline = started + BUDGET
    for n, word in enumerate(unknown):
        if n and clock() >= deadline:
            break
        candidates = close_words(word, deadline if n else None)[:MAX_VERIFIED]
        held = visible(candidates) if candidates else set()
        chosen_word = next((c for c in candidates if c in held), None)
        if chosen_word is not None:
            better[word] = chosen_word
    return better
