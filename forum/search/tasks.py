"""The search engine's background work: what waits in its outbox, applied by the worker."""

from __future__ import annotations

from forum.queue import task


@task(name="forum.search.drain_outbox", retries=3, retry_delay=5)
def drain_outbox() -> None:
    """Apply what waits in the search outbox (usefulness moved by ratings), in the worker. It
    waits for the writer lock as long as a drain after commit does: rows still waiting then are
    applied by the next write, the next search or the next start."""
    from forum.search.choice import get_engine

    get_engine().catch_up(wait=2.0)
