"""Prompts alike a text: what both engines share for "has this been asked?" and related reading.

A text (a title being written, or a prompt's own title and intro) is its title's terms and the
rest's (intro; for a prompt of the index, intro and key points), as the engine analyses them.
Each term gets a share of the text's weight: the title holds TITLE_SHARE of it however long the
rest is (so a title's words weigh more than an intro's, and a long intro does not drown its
title), the rest the remainder (a text with only one part gives it all), and within a part a
term's share is (1 + ln count) x idf, divided by the part's total.

An engine picks the text's TERMS heaviest terms, asks its index for the CANDIDATES prompts that
match them best, and hands their terms to `ranked`: a prompt's similarity is the weight the two
texts share, the sum over terms of the smaller of the two shares (histogram intersection, 1 -
the total variation distance): 0 with no term in common, 1 for the same terms in the same
proportions. Unlike a cosine it does not favour a short prompt holding one or two of the text's
words (a prompt titled "Delegating" beside "Delegating work to a team"), and unlike an engine's
raw score it is bounded and comparable from one text to the next. The candidates come back by
it, best first.

idf(t) = ln((N + 1) / (df + 1)) + 1, where N and df count the engine's documents (Whoosh: all
its documents; PostgreSQL: prompts, from the planner's statistics once there are enough).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

# The share of a text's weight its title holds, when it has more than a title.
TITLE_SHARE = 0.5
# How many of the text's terms are asked of the index, and how many prompts it hands back to
# be compared in full.
TERMS = 12
CANDIDATES = 30
# Terms in more than this share of the documents find no candidates (they still count in the
# similarity), once there are COMMON_FROM documents: "use" is in a third of the 6,197 prompts of
# the dumps, and asking for it read half of them (90 ms on PostgreSQL).
COMMON_SHARE = 0.1
COMMON_FROM = 100
# What is read of a text: a title is at most 200 characters, and an intro's opening says what
# it is about; the rest is cut, whatever a client sends.
TITLE_CHARS = 300
INTRO_CHARS = 2000


class Alike(NamedTuple):
    """A prompt alike the text, and how alike (0..1)."""

    id: int
    similarity: float


def clean(text: str | None, chars: int) -> str:
    """The text cut to `chars` characters, control characters (NUL among them: PostgreSQL
    refuses it) read as spaces."""
    text = (text or "")[:chars]
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


class Text(NamedTuple):
    """A text's term counts: its title's and the rest's."""

    title: Counter
    rest: Counter

    def terms(self) -> set[str]:
        return set(self.title) | set(self.rest)


def weighed(title_terms: Iterable[str], other_terms: Iterable[str]) -> Text:
    return Text(Counter(title_terms), Counter(other_terms))


def idf(df: float, n: float) -> float:
    return math.log((n + 1.0) / (max(df, 0.0) + 1.0)) + 1.0


def _part(counts: Mapping[str, float], idfs: Mapping[str, float], share: float) -> dict:
    weights = {t: (1.0 + math.log(c)) * idfs.get(t, 1.0) for t, c in counts.items() if c >= 1}
    total = sum(weights.values())
    return {t: share * w / total for t, w in weights.items()} if total > 0 else {}


def shares(text: Text, idfs: Mapping[str, float]) -> dict[str, float]:
    """Each term's share of the text's weight, the shares summing to 1."""
    title_share = TITLE_SHARE if text.title and text.rest else (1.0 if text.title else 0.0)
    found = Counter(_part(text.title, idfs, title_share))
    found.update(_part(text.rest, idfs, 1.0 - title_share))
    return dict(found)


def telling(text: Text, idfs: Mapping[str, float], n: float = 0, terms: int = TERMS) -> list:
    """The `terms` terms that say most about the text, as (term, share), the heaviest first;
    among `n` documents, none of the common ones (COMMON_SHARE)."""
    common = idf(COMMON_SHARE * n, n) if n >= COMMON_FROM else 0.0
    weights = {
        t: w for t, w in shares(text, idfs).items() if len(t) > 2 and idfs.get(t, 1.0) > common
    }
    return sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:terms]


def overlap(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """How much of two texts' weight they share: the sum over terms of the smaller share."""
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, max(0.0, sum(min(w, b.get(t, 0.0)) for t, w in a.items())))


def ranked(
    text: Text,
    prompts: Mapping[int, Text],
    idfs: Mapping[str, float],
    limit: int,
) -> list[Alike]:
    """The prompts by their overlap with the text, best first (on a tie, the older prompt
    first), those sharing no term left out."""
    wanted = shares(text, idfs)
    scored = [(overlap(wanted, shares(other, idfs)), pid) for pid, other in prompts.items()]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [Alike(pid, round(score, 4)) for score, pid in scored if score > 0][:limit]
