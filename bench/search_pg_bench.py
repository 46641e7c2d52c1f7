"""Search latency on PostgreSQL with the postgres engine, on the real Stack Exchange text replicated
to scale (docs/architecture.md, "Budgets": p95 under 100 ms at 100,000 contributions).

    .venv/bin/python bench/search_pg_bench.py [--url postgresql+psycopg://postgres@127.0.0.1/test]
        [--contributions 100000] [--queries 500] [--rounds 3] [--schema NAME] [--keep]
        [--ranked N]

Imports every site in ../shared/data/stackexchange with the product's importer (bench/dataset.py)
into a schema of its own on that server (created with the models and the search triggers, so the
vectors are written by the import itself), copies the contributions up to --contributions in SQL
(the triggers write their vectors too), then times the same kind of queries as
bench/search_bench.py (one to three words from the corpus vocabulary, fixed seed) through
forum.services.search.search (parse, engine top 200, SQL re-filter, blend, snippets, suggestions)
and through the engine alone (engine.search(parse(q), 200)), alternately first; p50 / p95 / p99
per round, medians of the rounds. The schema is dropped at the end unless --keep
(then a second run with the same --schema reuses it: a million contributions take 20 minutes to
copy). --ranked N ranks at most N matches of each table instead of the engine's RANKED, to
compare cuts on the same copy. --stages then times each stage of the service for every query
(the engine's statement, which also reads the hits' tags, outcomes and prompts' usefulness;
the re-check; the outcomes of hits read from an index; titles; snippets; suggestions): where
what the service adds to the engine goes, mean and p95 per query.

Prints figures; never asserts timings. Exits with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402
from bench.common import POSTGRES_URL, time_paths  # noqa: E402
from bench.search_bench import make_queries, vocabulary  # noqa: E402


def create_app_on(url: str, schema: str):
    from sqlalchemy import create_engine, text

    from forum import create_app
    from forum.extensions import db

    engine = create_engine(url)
    with engine.begin() as connection:
        reuse = bool(
            connection.scalar(
                text("SELECT count(*) FROM information_schema.schemata WHERE schema_name = :s"),
                {"s": schema},
            )
        )
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine.dispose()
    options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    app = create_app({"DATABASE_URL": url, "SQLALCHEMY_ENGINE_OPTIONS": options,
                      "SEARCH_BACKEND": "postgres", "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        db.create_all()
    return app, reuse


def drop_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def measure(queries: list[str], warmup: int, rounds: int) -> dict:
    from forum.extensions import db
    from forum.search import get_engine
    from forum.search.query import parse
    from forum.services.search import search

    engine = get_engine()

    def service(q: str) -> int:
        total = search(q).total
        db.session.remove()  # what the end of a request does
        return total

    def raw(q: str) -> int:
        found = len(engine.search(parse(q), 200))
        db.session.remove()
        return found

    return time_paths({"service": service, "engine": raw}, queries, warmup, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=POSTGRES_URL)
    parser.add_argument("--schema", default="search_pg_bench")
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20140313)
    parser.add_argument("--min-df", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the schema for another run")
    parser.add_argument(
        "--ranked", type=int, default=0, help="rank at most N matches per table (default: RANKED)"
    )
    parser.add_argument("--stages", action="store_true", help="then time the service's stages")
    args = parser.parse_args()
    dataset.require_data()
    try:
        run(args)
    finally:
        if not args.keep:
            drop_schema(args.url, args.schema)


def run(args) -> None:
    from sqlalchemy import func, select, text

    from forum.extensions import db
    from forum.models import Contribution
    from forum.search.postgres import query as pq

    if args.ranked:
        pq.RANKED = args.ranked
    app, reuse = create_app_on(args.url, args.schema)
    with app.app_context():
        if reuse and db.session.scalar(select(func.count(Contribution.id))):
            print(f"reusing schema {args.schema}")
        else:
            started = time.perf_counter()
            loaded = dataset.load()
            print(dataset.report(loaded))
            added = dataset.replicate_contributions(args.contributions)
            db.session.commit()
            # What autovacuum does on a live server: the GIN indexes' pending lists merged.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            took = time.perf_counter() - started
            print(f"copied to {loaded.contributions + added:,} contributions; "
                  f"{took:.1f} s in all (vectors by the triggers)")  # fmt: skip
        count = db.session.scalar(select(func.count(Contribution.id)))
        words = vocabulary(args.min_df)
        queries = make_queries(words, args.queries, args.seed)
        figures = measure(queries, args.warmup, args.rounds)
    print(f"\nPostgreSQL search latency at {count:,} contributions: {len(queries)} queries of 1-3 "
          f"words from a vocabulary of {len(words):,} (seed {args.seed}), {args.warmup} warm-up, "
          f"{args.rounds} rounds; at most {pq.RANKED:,} matches ranked per table; medians of the "
          "rounds, ms")  # fmt: skip
    print(f"{'path':<10}{'p50':>9}{'p95':>9}{'p99':>9}{'mean':>9}{'hits':>9}")
    for name, row in figures.items():
        print(f"{name:<10}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}"
              f"{row['mean']:>9.1f}{row['hits']:>9.1f}")  # fmt: skip
    service, engine = figures["service"], figures["engine"]
    print(
        f"service p95 {service['p95']:.1f} ms (targets: < 100 at 100,000 contributions, < 50 at "
        f"a million); service p95 / engine p95 = {service['p95'] / engine['p95']:.2f}"
    )
    if args.stages:
        with app.app_context():
            report_stages(time_stages(queries))


# The service's stages: (label, module, function name), each wrapped in a timer for --stages.
STAGES = [
    ("engine: candidates and details", "forum.search.postgres.engine", "PostgresEngine.search"),
    ("re-check of contributions", "forum.services.search", "visibility.visible_contributions"),
    ("re-check of prompts", "forum.services.search", "visibility.visible_prompts"),
    ("prompts' usefulness", "forum.services.search", "documents.prompt_usefulness"),
    ("outcomes not read by the engine", "forum.services.search", "add_outcomes"),
    ("titles, authors, ratings of the page", "forum.services.search", "_add_titles"),
    ("snippets", "forum.search.postgres.engine", "PostgresEngine.snippets"),
    ("  of which their texts", "forum.search.postgres.snippets", "_texts"),
    ("suggestions", "forum.services.search", "_suggestion"),
]


def time_stages(queries: list[str]) -> dict[str, list[float]]:
    """Each query through the service once, every stage of STAGES timed (ms per query)."""
    import importlib

    from forum.extensions import db
    from forum.services.search import search

    spent: dict[str, float] = {}
    per_query: dict[str, list[float]] = {label: [] for label, _, _ in STAGES}
    per_query["the whole search"] = []

    def timed(label, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        return wrapper

    restore = []
    for label, module_name, path in STAGES:
        owner = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        restore.append((owner, name, getattr(owner, name)))
        setattr(owner, name, timed(label, getattr(owner, name)))
    try:
        for q in queries:
            spent.clear()
            started = time.perf_counter()
            search(q)
            db.session.remove()
            per_query["the whole search"].append(1000 * (time.perf_counter() - started))
            for label, _, _ in STAGES:
                per_query[label].append(1000 * spent.get(label, 0.0))
    finally:
        for owner, name, original in restore:
            setattr(owner, name, original)
    return per_query


def report_stages(per_query: dict[str, list[float]]) -> None:
    import statistics

    from bench.common import percentile

    print("\nthe service stage by stage, each query once; ms per query")
    print(f"{'stage':<34}{'mean':>8}{'p95':>8}")
    for label, values in per_query.items():
        print(f"{label:<34}{statistics.fmean(values):>8.1f}{percentile(sorted(values), 95):>8.1f}")


if __name__ == "__main__":
    main()
