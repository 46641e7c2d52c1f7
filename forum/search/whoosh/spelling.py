"""Did you mean, on Whoosh: close words from a word list of visible text alone.

Whoosh's own spelling lexicon keeps the words of deleted and replaced documents until a rebuild
(the words of a hidden post, a phone number an edit took out), and walking it costs a search of
its on-disk term table per step for every segment and field. So suggestions come from the word
list beside each generation: `words.sqlite`, every word form (no stop words) of the indexed
titles and bodies with how many documents hold it. The index holds visible content only, and the
writer moves the counts with each change it applies, in the same step as its commit, so a word
leaves the list with the last visible text that held it; a rebuild writes the list afresh, and
`search check` compares it with the database.

Close words: one Levenshtein automaton per word walked over the list's ordered keys (a SQLite
seek per step): within one edit first, then two for a word of five letters or more, keeping its
first letter (as Lucene's spell checker does; it cuts the walk about fivefold). The bounds on
the work are those of suggestions.py.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from pathlib import Path

from whoosh.analysis import StopFilter
from whoosh.automata import lev

from forum.search import suggestions
from forum.search.whoosh import bulk, queries
from forum.search.whoosh.schema import TEXT_FIELDS, make_schema

WORDS_FILE = "words.sqlite"
# The fields whose words are suggested; they are also stored, so a replaced document's words
# are known.
SPELLED = ("title", "body")
_ANALYZER = make_schema()["body"].analyzer
# How the analyzer cuts text into words (its tokenizer), and the words it drops.
TOKENS = _ANALYZER.items[0].expression
STOP = next(item.stops for item in _ANALYZER.items if isinstance(item, StopFilter))


def forms(document) -> set[str]:
    """The word forms (lower-cased tokens, as the index reads them, stop words left out) of a
    document's title and body; `document` is a search document or a stored one."""
    return {
        word
        for field in SPELLED
        for word in (m.group().lower() for m in TOKENS.finditer(document.get(field) or ""))
        if len(word) > 1 and word not in STOP
    }


def read_in_analysis(schema) -> bool:
    """Whether the words the analyzer keeps in SPELLED fields are `forms`' words (so a writer can
    count them as it analyses, bulk.BulkWriter's `spelled`)."""
    return all(
        bulk.positions_of(schema[field]) is not None
        and schema[field].analyzer.kept_words_are(TOKENS, 2, STOP)
        for field in SPELLED
    )


class WordList:
    """The word forms of visible text with how many indexed documents hold each."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / WORDS_FILE

    def exists(self) -> bool:
        return self.path.exists()

    def create(self, counts: Counter | None = None) -> None:
        """Write a fresh list, in place at once (an empty one for a new index)."""
        temporary = self.path.with_name(f"{WORDS_FILE}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(temporary)) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(
                "CREATE TABLE words (word TEXT PRIMARY KEY, documents INTEGER NOT NULL)"
                " WITHOUT ROWID"
            )
            connection.executemany("INSERT INTO words VALUES (?, ?)", (counts or {}).items())
            connection.commit()
        os.replace(temporary, self.path)

    def _read(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5)

    def holding(self, words: list[str]) -> set[str]:
        """Which of these words some indexed document holds (none without a list)."""
        if not words or not self.exists():
            return set()
        marks = ",".join("?" * len(words))
        with contextlib.closing(self._read()) as connection:
            rows = connection.execute(
                f"SELECT word FROM words WHERE documents > 0 AND word IN ({marks})",  # noqa: S608
                words,
            )
            return {row[0] for row in rows}

    def close(self, word: str, deadline: float | None = None) -> list[str]:
        """Words of the list within one edit of `word` (two for a longer word when none is that
        close, first letter kept), the closest first, at most MAX_CANDIDATES of them; the walk
        stops at `deadline` (suggestions.clock)."""
        if not self.exists():
            return []
        with contextlib.closing(self._read()) as connection:
            for distance in range(1, suggestions.max_edits(word) + 1):
                automaton = lev.levenshtein_automaton(word, distance, prefix=distance - 1)
                walk = _walk(connection, automaton.to_dfa(), deadline)
                found = [w for w in itertools.islice(walk, suggestions.MAX_CANDIDATES + 1)]
                found = [w for w in found if w != word][: suggestions.MAX_CANDIDATES]
                if found:
                    return sorted(found, key=lambda c: (-SequenceMatcher(None, word, c).ratio(), c))
        return []

    def counts(self) -> dict[str, int] | None:
        """Every word with its count; None without a list."""
        if not self.exists():
            return None
        with contextlib.closing(self._read()) as connection:
            return dict(connection.execute("SELECT word, documents FROM words"))

    @contextlib.contextmanager
    def changing(self, delta: Counter) -> Iterator[None]:
        """Move the counts by `delta` around the block (the index's commit): kept when the block
        succeeds, undone when it fails. Nothing happens without a list."""
        if not self.exists():
            yield
            return
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(
                "INSERT INTO words VALUES (?, ?) ON CONFLICT (word)"
                " DO UPDATE SET documents = documents + excluded.documents",
                [(word, n) for word, n in delta.items() if n],
            )
            connection.executemany(
                "DELETE FROM words WHERE word = ? AND documents <= 0",
                [(word,) for word, n in delta.items() if n < 0],
            )
            yield
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()


def change(searcher, keys: Iterable[str], documents: list[dict]) -> Counter:
    """How the counts move when the documents under these keys give way to these documents."""
    delta: Counter = Counter()
    for key in set(keys):
        docnum = searcher.document_number(key=key)
        if docnum is not None:
            delta.subtract(forms(searcher.stored_fields(docnum)))
    for document in documents:
        delta.update(forms(document))
    return delta


def suggest(searcher, words_list: WordList, words: list[str]) -> dict[str, str]:
    schema = searcher.schema

    def known(chosen: list[str]) -> set[str]:
        # A stop word, or a word the index knows in any text field, is not misspelt.
        found = set()
        for word in chosen:
            stems = queries.analysed(schema, "body", word)
            if not stems or any(searcher.doc_frequency(f, s) for f in TEXT_FIELDS for s in stems):
                found.add(word)
        return found

    return suggestions.correct(words, known, words_list.close, words_list.holding)


_SEEK = "SELECT word FROM words WHERE word >= ? ORDER BY word LIMIT 1"


def _walk(connection: sqlite3.Connection, automaton, deadline: float | None) -> Iterator[str]:
    """The list's words the automaton accepts, in order (as Whoosh's Automata.find_matches walks
    a term table), until the deadline passes."""
    term = ""
    while True:
        match = automaton.next_valid_string(term)
        if match is None or (deadline is not None and suggestions.clock() > deadline):
            return
        row = connection.execute(_SEEK, (match,)).fetchone()
        if row is None:
            return
        term = row[0]
        if term == match:
            yield match
            term = match + "\0"
