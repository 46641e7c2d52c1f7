"""Prompts alike a text: what both engines share for "has this been asked?" and related reading.

A text (a title being written, or a prompt's own title and intro) is a bag of the engine's terms,
each counted TITLE_WEIGHT times in the title and once in the intro. An engine picks its TERMS
most telling terms (count x idf), asks its index for the CANDIDATES prompts that match them
best, and hands their terms, counted alike (title TITLE_WEIGHT times, intro and key points
once), to `ranked`. Each text's terms get a share of its weight, (1 + ln count) x idf, the
shares summing to 1; the similarity of a prompt is the weight the two texts share, the sum over
terms of the smaller of the two shares (histogram intersection, 1 - the total variation
distance): 0 with no term in common, 1 for the same terms in the same proportions. Unlike a
cosine it does not favour a short prompt whose one or two words the text holds (a prompt titled
"Delegating" beside "Delegating work to a team"), and unlike an engine's raw score it is bounded
and comparable between texts. The candidates come back by it, best first.

idf(t) = ln((N + 1) / (df + 1)) + 1, where N and df count the engine's documents (Whoosh: all
its documents; PostgreSQL: prompts, from the planner's statistics once there are enough).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

# A title's words count this many times an intro's.
TITLE_WEIGHT = 3
# How many of the text's terms are asked of the index, and how many prompts it hands back to
# be compared in full.
TERMS = 12
CANDIDATES = 30
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


def weighed(title_terms: Iterable[str], other_terms: Iterable[str]) -> Counter:
    """Term counts, a title's counting TITLE_WEIGHT times."""
    counts: Counter = Counter()
    for term in title_terms:
        counts[term] += TITLE_WEIGHT
    for term in other_terms:
        counts[term] += 1
    return counts


def idf(df: float, n: float) -> float:
    return math.log((n + 1.0) / (max(df, 0.0) + 1.0)) + 1.0


def telling(counts: Mapping[str, float], idfs: Mapping[str, float], terms: int = TERMS) -> list:
    """The `terms` terms that say most about the text, as (term, weight), the heaviest first."""
    weights = {t: c * idfs.get(t, 1.0) for t, c in counts.items() if len(t) > 2}
    return sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:terms]


def _shares(counts: Mapping[str, float], idfs: Mapping[str, float]) -> dict[str, float]:
    """Each term's share of the text: (1 + ln count) x idf, the shares summing to 1."""
    weights = {t: (1.0 + math.log(c)) * idfs.get(t, 1.0) for t, c in counts.items() if c >= 1}
    total = sum(weights.values())
    return {t: w / total for t, w in weights.items()} if total > 0 else {}


def overlap(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """How much of two texts' weight they share: the sum over terms of the smaller share."""
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, max(0.0, sum(min(w, b.get(t, 0.0)) for t, w in a.items())))


def ranked(
    text: Mapping[str, float],
    prompts: Mapping[int, Mapping[str, float]],
    idfs: Mapping[str, float],
    limit: int,
) -> list[Alike]:
    """The prompts by their overlap with the text, best first (on a tie, the older prompt
    first), those sharing no term left out."""
    wanted = _shares(text, idfs)
    scored = [(overlap(wanted, _shares(counts, idfs)), pid) for pid, counts in prompts.items()]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [Alike(pid, round(score, 4)) for score, pid in scored if score > 0][:limit]
