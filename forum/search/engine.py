"""The interface every search engine implements, and what it hands back.

Code outside an engine's own package is typed against `SearchEngine` and never asks which engine
runs: each engine owns how it stays consistent with the database (it hears the change stream,
forum/changes.py), how it is rebuilt and how it is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol

from sqlalchemy.engine import Connection

from forum.changes import Changes
from forum.search.alike import Alike
from forum.search.query import ParsedQuery

Progress = Callable[[int], None]


class Current(NamedTuple):
    """A hit's numbers as the database holds them, read by an engine whose statement reads the
    live rows anyway: the hit is visible now, and the service need not read it again."""

    title: str  # the prompt's (for a contribution: the prompt it answers)
    slug: str  # the prompt's
    created: datetime
    # The usefulness score (1..5): a contribution's own; a prompt's, of its three most useful
    # visible contributions (search/documents.py). None: the service reads it.
    score: float | None = None
    ratings: int = 0  # a contribution's ratings and featured flag
    featured: bool = False
    # What happened when members tried a contribution (services/search_details.py): reports,
    # how many said it worked, their success (None while nobody reported).
    tried: int = 0
    worked: int = 0
    success: float | None = None


class Stored(NamedTuple):
    """A hit's numbers as the engine's index stores them, kept in step with the database by the
    engine (an outbox drained on commit and before each search): the service takes them as they
    are and asks the database only whether the hit may still be seen."""

    usefulness: float  # 0..1; a prompt's: of its three most useful visible contributions
    ratings: int = 0
    featured: bool = False


@dataclass
class EngineHit:
    """One match as the engine sees it. The service re-checks it against the database unless
    the engine read it live (`current`); with the numbers the index stored (`stored`) it checks
    only that the hit is still visible, and otherwise it reads them too."""

    key: str
    type: str
    id: int
    prompt_id: int
    score: float
    # The fraction of the words put side by side that it holds (forum/search/soft.py).
    matched: float = 1.0
    topic: str = ""
    # The topic's name, where the engine read it live (else the service reads it for the page).
    topic_name: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    created: datetime | None = None
    text: str = ""  # the stored body, where the engine read it anyway (snippets reuse it)
    current: Current | None = None
    stored: Stored | None = None


@dataclass
class Rebuilt:
    """What a rebuild did, and how the engine says so."""

    documents: int
    seconds: float
    summary: str

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


class IndexBusy(RuntimeError):
    """Another process is writing the index and did not let go in time: try again later."""


@dataclass
class Drift:
    """How the index differs from the database. `missing`, `extra` and `stale` are document keys;
    `facts` are the engine's own figures (queued changes, its word list), `notes` say them in
    words, `repair` says what to run when anything drifted and `in_step` what to say otherwise."""

    missing: list[str]
    extra: list[str]
    stale: list[str]
    facts: dict[str, int | bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    other_drift: bool = False  # drift beyond the keys (the engine's own state)
    repair: str = ""
    in_step: str = ""

    @property
    def drifted(self) -> bool:
        return bool(self.missing or self.extra or self.stale or self.other_drift)


class SearchEngine(Protocol):
    # -- staying consistent: the engine hears every change (forum/changes.py) ----------------
    def noted(self, connection: Connection, changes: Changes, info: dict) -> None:
        """Inside the writing transaction: record what the index must learn."""

    def committed(self, info: dict) -> None:
        """After that transaction committed."""

    def rolled_back(self, info: dict) -> None:
        """After it rolled back."""

    def catch_up(self, wait: float) -> int:
        """Apply changes still waiting, if any (waiting at most `wait` seconds for another
        writer); returns how many were applied."""

    def after_bulk_load(self, new_documents: int, progress: Progress | None) -> str:
        """Bring the index up to date after a bulk load of about this many documents (an
        import recorded them in the change stream); says how, in a few words."""

    # -- reading --------------------------------------------------------------------------------
    def search(self, parsed: ParsedQuery, limit: int) -> list[EngineHit]:
        """The best `limit` matches, best first, with the engine's own scores."""

    def snippets(self, parsed: ParsedQuery, hits: list[EngineHit]) -> dict[str, str]:
        """Highlighted extracts (escaped HTML with <mark>) for these hits, by key."""

    def suggest(self, words: list[str]) -> dict[str, str]:
        """Better spellings of these words, only ever words that visible content holds."""

    def close_words(self, word: str) -> list[str]:
        """The words a suggestion for `word` considers, the closest first."""

    def frequencies(self, words: list[str]) -> tuple[dict[str, float], int]:
        """How many documents each word matches (a word it cannot estimate left out) and how
        many the index holds: what bounds.telling asks of a long query."""

    def similar_to_text(
        self, title: str, intro: str, limit: int, exclude: int | None = None
    ) -> list[Alike]:
        """Prompts whose text is most like this title and intro (a title's words weigh more),
        best first, each with its similarity in 0..1 (forum/search/alike.py); never `exclude`.
        Related reading asks it with a prompt's own title and intro."""

    # -- maintenance ----------------------------------------------------------------------------
    def rebuild(self, progress: Progress | None) -> Rebuilt:
        """Rebuild from the database; searches keep answering from the old state meanwhile."""

    def check(self) -> Drift:
        """Compare the index with the database."""

    def stored_state(self) -> dict[str, float]:
        """Every indexed key with the usefulness stored for it."""

    def healthy(self) -> bool:
        """True when the index can be searched."""

    def close(self) -> None:
        """Let go of open files and searchers."""
