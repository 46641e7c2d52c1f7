"""Following and notifications: what a write costs with 10,000 watchers, and how fast the worker
fans an event out.

    .venv/bin/python bench/notifications.py [--watchers 10000] [--writes 200] [--database-url URL]

In-process, on a fresh SQLite file (or the PostgreSQL database given, in a schema of its own).
Prints the p50 / p95 of writing a contribution through the service to a prompt nobody watches
and to one `--watchers` members watch (docs/architecture.md, "Budgets": within 1.5x), and the
notifications per second `deliver_pending` writes for one such event (at least 5,000).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.watchers import add_watchers  # noqa: E402 (after the path is set)


def _app(url: str | None, folder: Path):
    from forum import create_app

    settings = {"RATELIMIT_ENABLED": False, "SEARCH_PATH": str(folder / "search-index")}
    if url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        settings["DATABASE_URL"] = url
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={schema}"}
        }
        return create_app(settings), schema
    settings["DATABASE_URL"] = f"sqlite:///{folder / 'bench.db'}"
    return create_app(settings), None


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--watchers", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from sqlalchemy import text

    from forum.extensions import db
    from forum.services import accounts, contributions, delivery, prompts, topics

    folder = Path(tempfile.mkdtemp(prefix="notifications-bench-"))
    app, schema = _app(args.database_url, folder)
    with app.app_context():
        db.create_all()
        db.session.info["search_capture"] = False
        editor = accounts.register("editor", "editor@example.org", "x" * 12, role="moderator")
        writer = accounts.register("writer", "writer@example.org", "x" * 12)
        topics.create_topic(editor, "Bench", "", "bench")

        def new_prompt(title):
            return prompts.create_prompt(
                editor, title=title, intro="", topic="bench", key_points=[], tags=[]
            )

        quiet, watched = new_prompt("Nobody watches this"), new_prompt("Everybody watches this")
        add_watchers(args.watchers, "w", "prompt", watched.id)
        delivery.deliver_all()

        timings: dict[str, list[float]] = {"no watcher": [], f"{args.watchers} watchers": []}
        for n in range(args.writes):
            for label, prompt in zip(timings, (quiet, watched), strict=True):
                start = time.perf_counter()
                contributions.create_contribution(writer, prompt, f"Write {n}: small steps.")
                timings[label].append((time.perf_counter() - start) * 1000)
        for label, values in timings.items():
            print(
                f"write a contribution, {label}: p50 {statistics.median(values):.2f} ms,"
                f" p95 {_p(values, 0.95):.2f} ms"
            )
        base, loaded = (_p(v, 0.95) for v in timings.values())
        print(f"p95 ratio: {loaded / base:.2f} (budget: at most 1.5)")

        db.session.execute(text("DELETE FROM notification_events WHERE delivered_at IS NULL"))
        db.session.commit()
        contributions.create_contribution(writer, watched, "One more, for the fan-out.")
        start = time.perf_counter()
        done = delivery.deliver_pending(batch=1)
        seconds = time.perf_counter() - start
        print(
            f"deliver one event: {done.notifications} notifications in {seconds * 1000:.0f} ms,"
            f" {done.notifications / seconds:,.0f} per second (budget: at least 5,000)"
        )
        db.session.remove()
        db.engine.dispose()
    if schema:
        from sqlalchemy import create_engine

        engine = create_engine(args.database_url)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


if __name__ == "__main__":
    main()
