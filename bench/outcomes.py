"""An outcome write through the service on SQLite, against a rating write in the same run.

    nice .venv/bin/python bench/outcomes.py [--members 200] [--contributions 20] [--rounds 5]

A SQLite file with a prompt, `--contributions` contributions and `--members` members; each
member rates (`ratings.rate`) and reports an outcome of (`outcomes.report`) one contribution
after another, the two writes taking turns at going first, each a whole use case (checks, the
write, the counters moved by SQL, the change stream, the commit). A round writes every member
once; the first round inserts, the later ones change (each round a different score and result).
Prints p50, p95 and p99 in ms, medians of the rounds, and the ratio outcome / rating.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import time_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--contributions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import insert, select

    from forum import create_app
    from forum.extensions import db
    from forum.models import Contribution, User
    from forum.models.outcome import RESULTS, SETTINGS
    from forum.models.types import utcnow
    from forum.services import accounts, contributions, outcomes, prompts, ratings, topics

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.db'}",
                "SEARCH_PATH": str(Path(tmp) / "search-index"),
                "RATELIMIT_ENABLED": False,
                "QUEUE_IMMEDIATE": False,
                "QUEUE_PATH": str(Path(tmp) / "queue.db"),
            }
        )
        with app.app_context():
            db.create_all()
            editor = accounts.register("editor", "editor@example.org", "x" * 12, role="moderator")
            writer = accounts.register("writer", "writer@example.org", "x" * 12)
            topics.create_topic(editor, "Bench", "", "bench")
            prompt = prompts.create_prompt(
                editor, title="How do you start?", intro="", topic="bench", key_points=[], tags=[]
            )
            made = [
                contributions.create_contribution(writer, prompt, f"Strategy {n}: small steps.").id
                for n in range(args.contributions)
            ]
            # Members written in one statement (registering hashes each password: minutes).
            now = utcnow()
            db.session.execute(
                insert(User),
                [
                    {
                        "username": f"tried{i}",
                        "email": f"tried{i}@example.org",
                        "password_hash": "x",
                        "display_name": f"Member {i}",
                        "username_key": f"tried{i}",
                        "display_key": f"member {i}",
                        "joined_at": now,
                    }
                    for i in range(args.members)
                ],
            )
            db.session.commit()
            members = list(
                db.session.scalars(
                    select(User.id).where(User.username.like("tried%")).order_by(User.id)
                )
            )
            calls = {"rating": 0, "outcome": 0}

            def rate(i: int) -> int:
                calls["rating"] += 1
                member = db.session.get(User, members[i])
                contribution = db.session.get(Contribution, made[i % len(made)])
                ratings.rate(member, contribution, 1 + (i + calls["rating"] // len(members)) % 5)
                return 1

            def report(i: int) -> int:
                calls["outcome"] += 1
                turn = i + calls["outcome"] // len(members)
                member = db.session.get(User, members[i])
                contribution = db.session.get(Contribution, made[i % len(made)])
                outcomes.report(
                    member, contribution, RESULTS[turn % 3], SETTINGS[turn % 4], f"Note {turn}."
                )
                return 1

            figures = time_paths(
                {"rating write": rate, "outcome write": report},
                list(range(args.members)),
                warmup=0,
                rounds=args.rounds,
            )
            db.session.remove()
            db.engine.dispose()

    print(
        f"{args.members} members x {args.contributions} contributions, {args.rounds} rounds "
        "(medians of the rounds), SQLite file"
    )
    print(f"{'write':<16}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, values in figures.items():
        print(f"{name:<16}{values['p50']:>9.2f}{values['p95']:>9.2f}{values['p99']:>9.2f}")
    rating, outcome = figures["rating write"], figures["outcome write"]
    print(
        f"outcome / rating: p50 {outcome['p50'] / rating['p50']:.2f}, "
        f"p95 {outcome['p95'] / rating['p95']:.2f}"
    )


if __name__ == "__main__":
    main()
