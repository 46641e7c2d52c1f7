"""Digests: the weekly digest run for 10,000 members, against its budget (under 60 seconds).

    .venv/bin/python bench/digests.py [--members 10000] [--contributions 20] [--database-url URL]

In-process, on a fresh SQLite file (or the PostgreSQL database given, in a schema of its own).
`--members` members with confirmed addresses and a weekly digest watch one topic; during the
week `--contributions` contributions arrive on its prompts (some rated), and the worker turns
them into notifications. Then the weekly job runs as the worker would at its slot
(`send_digests("weekly", slot)`): each member's digest ranked, rendered (text and HTML
templates), claimed in `sent_mail` by batches and written as an .eml file (no SMTP server: the
development path, which does the same work up to the socket). Prints the run's time and digests
per second, and a second run for the same slot (it must send nothing: the keys were claimed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.notifications import _app  # noqa: E402 (after the path is set)
from bench.watchers import add_watchers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--contributions", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from sqlalchemy import text

    from forum.extensions import db
    from forum.models.types import utcnow
    from forum.services import accounts, contributions, delivery, digests, prompts, ratings, topics

    folder = Path(tempfile.mkdtemp(prefix="digests-bench-"))
    app, schema = _app(args.database_url, folder)
    app.config.update(MAIL_DIR=str(folder / "mail"), MAIL_SUPPRESS_SEND=False, MAIL_SERVER=None)
    with app.app_context():
        db.create_all()
        db.session.info["search_capture"] = False
        editor = accounts.register("editor", "editor@example.org", "x" * 12, role="moderator")
        writers = [accounts.register(f"writer{i}", f"writer{i}@e.org", "x" * 12) for i in range(4)]
        topic = topics.create_topic(editor, "Bench", "", "bench")
        made = [
            prompts.create_prompt(
                editor, title=f"Prompt {i}", intro="", topic="bench", key_points=[], tags=[]
            )
            for i in range(5)
        ]
        add_watchers(
            args.members,
            "m",
            "topic",
            topic.id,
            email_confirmed_at=utcnow(),
            digest="weekly",
            email_notifications="off",
        )
        posted = [
            contributions.create_contribution(
                writers[n % len(writers)], made[n % len(made)], f"Contribution {n}: small steps."
            )
            for n in range(args.contributions)
        ]
        for n, contribution in enumerate(posted[::3]):
            ratings.rate(writers[(n + 1) % len(writers)], contribution, 3 + n % 3)
        start = time.perf_counter()
        fanned = delivery.deliver_all()
        print(
            f"setup: {args.members:,} members, {args.contributions} contributions, "
            f"{fanned.notifications:,} notifications in {time.perf_counter() - start:.1f} s"
        )

        slot = digests.next_slot("weekly", utcnow())
        start = time.perf_counter()
        sent = digests.send_digests("weekly", slot)
        seconds = time.perf_counter() - start
        print(
            f"weekly digest run: {sent:,} digests in {seconds:.1f} s, {sent / seconds:,.0f} per"
            " second (budget: 10,000 members in under 60 s)"
        )
        start = time.perf_counter()
        again = digests.send_digests("weekly", slot)
        print(f"the same slot again: {again} sent in {time.perf_counter() - start:.1f} s")
        files = len(list((folder / "mail").glob("*.eml")))
        print(f"files written: {files:,}")
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
