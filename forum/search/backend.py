"""The one small interface every search engine implements, and what it hands back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from forum.search.query import ParsedQuery


@dataclass
class EngineHit:
    """One match as the engine sees it; the service re-checks it against the database."""

    key: str
    type: str
    id: int
    prompt_id: int
    score: float
    topic: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    created: datetime | None = None
    text: str = ""  # the stored body, where the engine read it anyway (snippets reuse it)


class SearchBackend(Protocol):
    name: str

    def apply(self, documents: list[dict], removed: list[str]) -> None:
        """Add or replace these documents and remove these keys, in one commit."""

    def search(self, parsed: ParsedQuery, limit: int) -> list[EngineHit]:
        """The best `limit` matches, best first, with the engine's own scores."""

    def snippets(self, parsed: ParsedQuery, hits: list[EngineHit]) -> dict[str, str]:
        """Highlighted extracts (escaped HTML with <mark>) for these hits, by key."""

    def suggest(self, words: list[str]) -> dict[str, str]:
        """Better spellings of these words, where the index knows one."""

    def similar_prompts(self, prompt_id: int, limit: int) -> list[int]:
        """Ids of prompts whose text is most like this prompt's, best first."""

    def rebuild(self, documents: Iterable[dict], progress: Callable[[int], None] | None) -> int:
        """Build a fresh index from these documents and swap it in; returns how many."""

    def stored_state(self) -> dict[str, float]:
        """Every indexed key with the usefulness stored for it (for drift checks)."""

    def healthy(self) -> bool:
        """True when the index can be searched."""
