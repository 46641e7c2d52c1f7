"""Prompt page with 50 contributions, HTML and JSON, under gunicorn (2 sync workers), next to a
bare Flask endpoint measured in the same run.

    .venv/bin/python bench/prompt_page.py [--seconds 8] [--rounds 3] [--concurrency 8]

Prints requests per second (median of the rounds), p50 / p99 latency, errors, and each page's
rate as a ratio of the bare endpoint's (docs/architecture.md, "Budgets": at least 0.30).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Server, load, median, real_answers  # noqa: E402

CONTRIBUTIONS = 50


def build_database(path: Path) -> tuple[int, str]:
    """A prompt with 50 rated contributions of real text, made through the services."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.services import accounts, contributions, prompts, ratings, topics

    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        editor = accounts.register("editor", "editor@example.org", "x" * 12, role="moderator")
        topics.create_topic(editor, "Bench", "", "bench")
        prompt = prompts.create_prompt(
            editor,
            title="Dealing with a resistant client: how do you unlock their motivation?",
            intro="What worked for you?",
            topic="bench",
            key_points=[{"title": "Cultivate trust", "body": ""}],
            tags=["motivation"],
        )
        raters = [accounts.register(f"rater{i}", f"r{i}@example.org", "x" * 12) for i in range(8)]
        for n, body in enumerate(real_answers(CONTRIBUTIONS)):
            author = accounts.register(f"coach{n}", f"c{n}@example.org", "x" * 12)
            contribution = contributions.create_contribution(author, prompt, body)
            for k, rater in enumerate(raters[: n % 8]):
                ratings.rate(rater, contribution, 1 + (n + k) % 5)
        return prompt.id, prompt.slug


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.db"
        prompt_id, slug = build_database(database)
        env = {
            "FORUM_DATABASE_URL": f"sqlite:///{database}",
            "FORUM_RATELIMIT_ENABLED": "false",
            "FORUM_SEARCH_PATH": str(Path(tmp) / "search-index"),
        }
        bare = Server("bench.bare:app")
        forum = Server("wsgi:app", env=env)
        targets = {
            "bare Flask": bare.url + "/",
            "prompt page HTML": f"{forum.url}/prompts/{prompt_id}/{slug}",
            "prompt page JSON": (
                f"{forum.url}/api/v1/prompts/{prompt_id}/contributions?per_page={CONTRIBUTIONS}"
            ),
        }
        results: dict[str, list[dict]] = {name: [] for name in targets}
        try:
            for url in targets.values():  # warm up every worker
                load(url, 1.0, args.concurrency)
            for _ in range(args.rounds):
                for name, url in targets.items():
                    results[name].append(load(url, args.seconds, args.concurrency))
        finally:
            bare.stop()
            forum.stop()

    base = median(r["rps"] for r in results["bare Flask"])
    print(f"gunicorn, 2 sync workers; {args.concurrency} clients; {args.rounds} rounds of "
          f"{args.seconds:g} s; medians")  # fmt: skip
    print(f"{'endpoint':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}")
    for name, rounds in results.items():
        rps = median(r["rps"] for r in rounds)
        print(
            f"{name:<20}{rps:>9.1f}{median(r['p50_ms'] for r in rounds):>9.1f}"
            f"{median(r['p99_ms'] for r in rounds):>9.1f}{sum(r['errors'] for r in rounds):>8}"
            f"{rps / base:>8.2f}"
        )


if __name__ == "__main__":
    main()
