"""Did you mean, on PostgreSQL: close words from the word list by trigram similarity (pg_trgm),
ranked by edit distance, and only ever a word that visible text holds."""

from __future__ import annotations

from sqlalchemy import func, select, text

from forum.extensions import db
from forum.models import Prompt
from forum.search import postgres_query as pq

SPELLING_THRESHOLD = 0.2
MAX_EDITS = 2


def suggest(words: list[str]) -> dict[str, str]:
    """Better spellings of these words: close words of the word list (pg_trgm) that visible
    text holds, for words that find nothing."""
    better = {}
    for word in words:
        if len(word) < 3 or matches(word) is not False:
            continue
        trgm = _trgm_schema()
        # Short words share few trigrams with their misspellings ("trsut" / "trust": 0.2).
        db.session.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {SPELLING_THRESHOLD}"))
        candidates = db.session.scalars(
            text(
                # trgm is the extension's schema name, quoted: not reader input.
                f"SELECT word FROM search_words WHERE word OPERATOR({trgm}.%) :w"  # noqa: S608
                f" ORDER BY {trgm}.similarity(word, :w) DESC, word LIMIT 30"
            ),
            {"w": word},
        ).all()
        # The closest spelling first (at most two edits), as the Whoosh engine ranks them.
        close = sorted(
            (distance, -rank, candidate)
            for rank, candidate in enumerate(reversed(candidates))
            if candidate != word and (distance := edits(word, candidate)) <= MAX_EDITS
        )
        for _, _, candidate in close:
            # Never a word that would find nothing (the list keeps words of removed text).
            if matches(candidate):
                better[word] = candidate
                break
    return better


def matches(word: str) -> bool | None:
    """Whether visible text holds this word; None for a stop word (nothing to match)."""
    query = func.websearch_to_tsquery(pq.CONFIG, word, type_=pq.TSQUERY)
    if not db.session.scalar(select(func.numnode(query))):
        return None
    in_prompts = select(Prompt.id).where(pq.PROMPT_VECTOR.op("@@")(query)).exists()
    entry = pq.contribution_search.c
    in_answers = (
        select(entry.contribution_id)
        .select_from(pq.contribution_search)
        .where(entry.search_vector.op("@@")(query))
        .exists()
    )
    return bool(db.session.scalar(select(in_prompts | in_answers)))


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
