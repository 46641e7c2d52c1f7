"""Did you mean, on PostgreSQL: close words from the word list by trigram similarity (pg_trgm),
ranked by edit distance, and only ever a word that visible text holds. The bounds on the work
(words looked up, close words, checks, time) are those of suggestions.py."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import Text, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.search import suggestions

SPELLING_THRESHOLD = 0.2

# Which of :words visible text holds (a stop word holds nothing); :stop keeps stop words too
# (they are never misspelt).
_HELD = text(
    """
    SELECT w FROM unnest(:words) AS w, websearch_to_tsquery('english', w) AS q
     WHERE (:stop AND numnode(q) = 0)
        OR (numnode(q) > 0 AND (EXISTS (SELECT 1 FROM prompts p WHERE p.search_vector @@ q)
            OR EXISTS (SELECT 1 FROM contribution_search s WHERE s.search_vector @@ q)))
    """
).bindparams(bindparam("words", type_=ARRAY(Text)))


_SEQSCAN_OFF = text(
    "SELECT current_setting('enable_seqscan') AS before, set_config('enable_seqscan', 'off', true)"
)
_SEQSCAN_BACK = text("SELECT set_config('enable_seqscan', :before, true)")


def suggest(words: list[str]) -> dict[str, str]:
    """Better spellings of these words: close words of the word list (pg_trgm) that visible
    text holds, for words that find nothing."""
    return suggestions.correct(words, known, close_words, held)


def known(words: list[str]) -> set[str]:
    """The words that find something, and stop words (nothing to correct)."""
    return _held(words, stop=True)


def held(words: list[str]) -> set[str]:
    """The words that visible text holds (the word list also keeps words of removed text)."""
    return _held(words, stop=False)


def _held(words: list[str], stop: bool) -> set[str]:
    """_HELD through the GIN indexes only. For a word the statistics do not list (a misspelt
    one: the very words asked about) the planner guesses a few hundred matches and, as EXISTS
    needs just one, reads the table from the start instead: every contribution, to find that
    none holds the word (36 ms a word at 100,000 contributions). Sequential scans are off for
    this one statement, then back as they were."""
    with without_seqscan():
        return set(db.session.scalars(_HELD, {"words": words, "stop": stop}))


@contextmanager
def without_seqscan():
    """Sequential scans off for the statements inside, then back as they were. Inside another
    such block, nothing more is sent: a soft search's statements of word counts and its pass
    share one (two round trips, not four)."""
    info = db.session.info
    if info.get("seqscan_off"):
        yield
        return
    before = db.session.scalar(_SEQSCAN_OFF)
    info["seqscan_off"] = True
    try:
        yield
    finally:
        info.pop("seqscan_off", None)
        db.session.execute(_SEQSCAN_BACK, {"before": before})


def close_words(word: str, deadline: float | None = None) -> list[str]:
    """Words of the word list within max_edits(word) edits, the closest first: the
    MAX_CANDIDATES most similar by trigrams, ranked by edit distance. (One indexed query with
    a LIMIT: nothing to stop at the deadline.)"""
    del deadline
    trgm = _trgm_schema()
    # Short words share few trigrams with their misspellings ("trsut" / "trust": 0.2).
    db.session.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {SPELLING_THRESHOLD}"))
    candidates = db.session.scalars(
        text(
            # trgm is the extension's schema name, quoted: not reader input.
            f"SELECT word FROM search_words WHERE word OPERATOR({trgm}.%) :w"  # noqa: S608
            f" ORDER BY {trgm}.similarity(word, :w) DESC, word LIMIT :limit"
        ),
        {"w": word, "limit": suggestions.MAX_CANDIDATES},
    ).all()
    most = suggestions.max_edits(word)
    close = sorted(
        (distance, rank, candidate)
        for rank, candidate in enumerate(candidates)
        if candidate != word and (distance := edits(word, candidate)) <= most
    )
    return [candidate for _, _, candidate in close]


def _trgm_schema() -> str:
    """The schema pg_trgm was installed in (one per database), quoted."""
    name = db.session.scalar(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
            " ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
    )
    return '"' + (name or "public").replace('"', '""') + '"'


def edits(a: str, b: str) -> int:
    """Levenshtein distance with adjacent transpositions counted as one edit."""
    previous, current = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]
