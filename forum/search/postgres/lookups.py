"""What the PostgreSQL engine reads besides its candidates, each in one statement whose text
never changes (arrays, not lists of parameters: compiled once, and prepared by the driver after
a few calls): how common the query's words are, and how long its documents are on average."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Text, bindparam
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.kept import forget, kept_for
from forum.search.postgres.spelling import without_seqscan

# How many visible contributions each word matches, from the planner's statistics of their
# vectors (the most common lexemes and their frequencies, kept by ANALYZE / autovacuum); a word
# not among them is as rare as the rarest listed. The list is read whole and kept by the app
# for STATISTICS_KEPT seconds (it moves only when the table is analyzed): casting its thousand
# lexemes to text for every search cost 1.4-2.7 ms of a two-word search's 20 at 100,000
# contributions. No statistics yet, or a table emptied since (its row count unknown, -1): no
# answer (all common).
_STATISTICS = sql(
    """
    SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
      FROM pg_stats s JOIN pg_class c ON c.oid = 'contribution_search'::regclass
     WHERE s.schemaname = current_schema() AND s.tablename = 'contribution_search'
       AND s.attname = 'search_vector' AND s.most_common_elems IS NOT NULL
       AND c.reltuples > 0
    """
)
STATISTICS_KEPT = 60.0


@dataclass(frozen=True)
class Statistics:
    """The planner's statistics of the contributions' vectors."""

    frequencies: dict[str, float]  # a listed lexeme -> the fraction of rows holding it
    rarest: float  # the fraction of the rarest lexeme listed
    documents: float  # rows in the table


# The statistics list only the common lexemes (from a sample); every word they do not list gets
# the same guess, so a word three posts hold would weigh as much as one held by hundreds. Those
# words are counted through the GIN index, up to COUNTED_UP_TO rows each: a word held by more
# keeps the guess (at a million contributions every unlisted word of the vocabulary is in
# hundreds of rows, and counting them all doubled the p95 of ordinary searches). Sequential
# scans are off for the statement (the planner would rather read the table than the index for
# a word it guesses is in a few hundred rows), then back as they were.
_COUNTED = sql(
    """
    SELECT w, (SELECT count(*) FROM (SELECT 1 FROM contribution_search s
                WHERE s.search_vector @@ plainto_tsquery('english', w) LIMIT :up_to) AS held)
      FROM unnest(:words) AS w
    """
).bindparams(bindparam("words", type_=ARRAY(Text)))
COUNTED_UP_TO = 100


def frequencies(words: list[str]) -> tuple[dict[str, float], int]:
    """What bounds.narrowed asks: documents matched by each word, documents in the index. Kept
    for the session's transaction (a search reads in one): a pasted question asks for its
    words to choose the 40 most telling, then again to find the rarest of those (soft.py); the
    second asks nothing."""
    known: dict[str, float] = _per_transaction("search_frequencies", dict)
    missing = [w for w in dict.fromkeys(words) if w not in known]
    if missing:
        stats = statistics()
        known[_DOCUMENTS] = stats.documents if stats else 0.0
        listed = set()
        if stats is not None:
            held = lexemes_of(missing)
            for word in missing:
                found = [stats.frequencies[e] for e in held[word] if e in stats.frequencies]
                known[word] = stats.documents * max(found, default=stats.rarest)
                if found:
                    listed.add(word)
        unlisted = [word for word in missing if word not in listed]
        if unlisted:
            # Without statistics (a table not analyzed yet) only a word no row holds is known:
            # it tells no hit from another (soft.in_tiers); the others stay unknown (common).
            counted = _counted(unlisted)
            known.update(
                {w: float(n) for w, n in counted if n < COUNTED_UP_TO and (stats or not n)}
            )
    return {w: known[w] for w in words if w in known}, int(known.get(_DOCUMENTS, 0))


def statistics() -> Statistics | None:
    """The planner's statistics of the contributions' vectors (None: none yet), read at most
    once per STATISTICS_KEPT seconds by each app, and again after forget_statistics()."""
    return kept_for("search_statistics", None, STATISTICS_KEPT, _read_statistics)


def forget_statistics() -> None:
    """The statistics were read afresh (ANALYZE): the next search reads them."""
    forget("search_statistics")


def _read_statistics() -> Statistics | None:
    row = db.session.execute(_STATISTICS).first()
    if row is None:
        return None
    lexemes, freqs, documents = row
    # The frequencies end with three figures of their own: the least and the greatest
    # frequency listed, then the fraction of empty vectors.
    return Statistics(dict(zip(lexemes, freqs[: len(lexemes)], strict=True)), freqs[-3],
                      float(documents))  # fmt: skip


WORDS_KEPT = 50_000
_lexemes: dict[str, frozenset[str]] = {}  # a word as written -> its lexemes ('english' config)

_LEXEMES = sql(
    "SELECT w, tsvector_to_array(to_tsvector('english', w)) FROM unnest(:words) AS w"
).bindparams(bindparam("words", type_=ARRAY(Text)))


def lexemes_of(words: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each word's lexemes as PostgreSQL indexes it (none for a stop word), kept by each
    process: one statement for the words it has not met yet, often none."""
    words = set(words)
    found = {word: _lexemes[word] for word in words if word in _lexemes}
    unknown = sorted(words - found.keys())
    if unknown:
        if len(_lexemes) > WORDS_KEPT:
            _lexemes.clear()
        for word, lexemes in db.session.execute(_LEXEMES, {"words": unknown}):
            found[word] = _lexemes[word] = frozenset(lexemes or ())
    return found


# Where the documents in the index are kept among the words (no word holds a NUL).
_DOCUMENTS = "\0documents"


def _counted(words: list[str]) -> list[tuple[str, int]]:
    """(word, the contributions holding it, up to COUNTED_UP_TO), through the GIN index only
    (_COUNTED)."""
    with without_seqscan():
        found = db.session.execute(_COUNTED, {"words": words, "up_to": COUNTED_UP_TO})
        return [tuple(row) for row in found]


# How many distinct words a vector holds on average, in each table, as soft matching's BM25
# takes a row's length against it (soft.py): from the newest SAMPLED rows (a few pages read;
# the average of the candidates, which hold the words, ranked worse). The newest by id, not the
# first a scan meets: a sequential scan of a large table starts where another scan is, so
# workers read different rows and ranked the same query 1-3 % apart.
_LENGTHS = sql(
    """
    SELECT (SELECT avg(length(v)) FROM (SELECT search_vector AS v FROM prompts
             WHERE search_vector IS NOT NULL ORDER BY id DESC LIMIT :sampled) AS p),
           (SELECT avg(length(v)) FROM (SELECT search_vector AS v FROM contribution_search
             ORDER BY contribution_id DESC LIMIT :sampled) AS c)
    """
)
SAMPLED = 500


# How long the averages are kept by the app (they move slowly: a new answer of the usual
# length moves nothing).
LENGTHS_KEPT = 60.0


def average_lengths() -> dict[str, float]:
    """{"prompt": .., "contribution": ..}: the average number of distinct words of a vector (1
    for an empty table), read at most once per LENGTHS_KEPT seconds by each app (reading them
    for every search cost more than a millisecond of the 25 an ordinary search takes at a
    million contributions)."""
    return kept_for("search_lengths", None, LENGTHS_KEPT, _read_lengths)


def _read_lengths() -> dict[str, float]:
    prompt, contribution = db.session.execute(_LENGTHS, {"sampled": SAMPLED}).one()
    return {"prompt": max(1.0, float(prompt or 1.0)),
            "contribution": max(1.0, float(contribution or 1.0))}  # fmt: skip


def _per_transaction(name: str, build):
    """What `build()` made, kept for the session's current transaction under `name`."""
    db.session.connection()  # the transaction begun
    session = db.session()
    transaction = session.get_transaction()
    kept = session.info.get(name)
    if kept is None or kept[0] is not transaction:
        kept = session.info[name] = (transaction, build())
    return kept[1]
