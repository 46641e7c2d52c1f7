"""Search speed on the real Stack Exchange text, replicated to scale: reindex rate and peak memory,
then query latency through the service layer next to raw Whoosh on the same index.

    .venv/bin/python bench/search_bench.py [--contributions 100000] [--queries 500] [--rounds 3]

Loads every site in ../shared/data/stackexchange with bench/se_data.py into a temporary SQLite
database, copies the contributions under new ids up to --contributions, and then:

- reindex: forum.search.maintenance.reindex in a fresh process (documents per second, design
  target >= 1,500; peak RSS of that process and of its writer processes, from getrusage);
- latency: --queries queries of one to three words drawn from the corpus vocabulary (fixed seed),
  after a warm-up, each timed through forum.services.search.search (parse, engine top 200, SQL
  re-filter, blend, snippets, suggestions) and through raw Whoosh
  (searcher.search(engine.build_query(parse(q)), limit=200), reading the stored fields of every
  hit), alternately first; p50 / p95 / p99 per round, medians of the rounds, and the ratio
  service p95 / raw p95 (design target <= 1.3).

Prints figures; never asserts timings. Exits with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import se_data  # noqa: E402
from bench.common import time_paths  # noqa: E402

WORD = re.compile(r"\w{3,}")
# Whoosh's English stop words and a few more that no reader searches for alone.
EXTRA_STOP = frozenset(("also", "can", "could", "would", "should", "one", "use", "using",
                        "used", "like", "get", "got", "make", "made", "much", "many", "just",
                        "even", "still", "well"))  # fmt: skip


def vocabulary(min_documents: int, limit_documents: int = 20_000) -> list[str]:
    """Words (3+ letters, not stop words) found in at least `min_documents` of the loaded
    questions and answers (the originals, not the copies)."""
    from sqlalchemy import func, select
    from whoosh.lang import stopwords_for_language

    from forum.extensions import db
    from forum.models import Contribution, Prompt
    from forum.search.documents import plain_text

    stop = set(stopwords_for_language("en")) | EXTRA_STOP
    frequency: Counter = Counter()
    for (title,) in db.session.execute(select(Prompt.title)):
        frequency.update(_words(title))
    posts = se_data.SE_POSTS.c
    last = db.session.scalar(select(func.max(posts.row_id)).where(posts.kind == "c")) or 0
    rows = db.session.execute(
        select(Contribution.body_html)
        .where(Contribution.id <= last)
        .order_by(Contribution.id)
        .limit(limit_documents)
    )
    for (body,) in rows:
        frequency.update(_words(plain_text(body)))
    return sorted(w for w, n in frequency.items() if n >= min_documents and w not in stop)


def _words(text: str) -> set[str]:
    """Whole words of letters only (not the "dprinting" of "3dprinting")."""
    return {w for w in WORD.findall(text.lower()) if w.isalpha()}


def make_queries(words: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(count)]


# -- reindex, in its own process so its peak memory is its own ---------------------------------
def reindex_child(database: str, index: str) -> None:
    app = se_data.create_app_for(Path(database), Path(index))
    with app.app_context():
        from forum.search import maintenance

        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = maintenance.reindex()
    result["rss_before_mb"] = before / 1024
    result["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


def reindex(database: Path, index: Path) -> dict:
    command = [sys.executable, __file__, "--reindex-child", str(database), str(index)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# -- latency ------------------------------------------------------------------------------------
def raw_search(engine, parse, q: str) -> int:
    searcher = engine.searcher()
    results = searcher.search(engine.build_query(parse(q)), limit=200)
    for hit in results:
        hit.fields()
    return results.scored_length()


def service_search(search, session, q: str) -> int:
    page = search(q)
    session.remove()  # what the end of a request does
    return page.total


def measure(queries: list[str], warmup: int, rounds: int) -> dict:
    from forum.extensions import db
    from forum.search import get_engine
    from forum.search.query import parse
    from forum.services.search import search

    engine = get_engine()
    paths = {
        "service": lambda q: service_search(search, db.session, q),
        "raw": lambda q: raw_search(engine, parse, q),
    }
    return time_paths(paths, queries, warmup, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--contributions",
        type=int,
        default=100_000,
        help="replicate the loaded answers up to this many (default 100000)",
    )
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="latency rounds (medians)")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20140313)
    parser.add_argument(
        "--min-df", type=int, default=10, help="query words occur in at least this many documents"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the database and index here (default: a temporary folder); "
        "when it already holds them, reuse them and skip loading",
    )
    parser.add_argument(
        "--skip-reindex", action="store_true", help="with a reused --workdir: measure queries only"
    )
    parser.add_argument("--reindex-child", nargs=2, metavar=("DB", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()  # fmt: skip
    if args.reindex_child:
        reindex_child(*args.reindex_child)
        return
    se_data.require_data()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(args, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
            run(args, Path(tmp))


def run(args, folder: Path) -> None:
    database, index = folder / "bench.db", folder / "search-index"
    reuse = database.exists()
    app = se_data.create_app_for(database, index)
    with app.app_context():
        if not reuse:
            started = time.perf_counter()
            stats = se_data.load()
            added = se_data.replicate_contributions(args.contributions)
            print(f"loaded {stats.sites} sites: {stats.prompts:,} prompts, {stats.contributions:,} "
                  f"answers, copied to {stats.contributions + added:,} contributions in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        else:
            print(f"reusing {database}")
        words = vocabulary(args.min_df)

    if not (reuse and args.skip_reindex):
        result = reindex(database, index)
        print(f"\nreindex (maintenance.reindex, own process): {result['documents']:,} documents "
              f"in {result['seconds']:.1f} s = {result['per_second']:,.0f} documents/s "
              f"({result['per_second'] / 1500:.2f} of the 1,500/s target)")  # fmt: skip
        print(f"  peak RSS: {result['rss_peak_mb']:.0f} MB (before reindex "
              f"{result['rss_before_mb']:.0f} MB); writer processes' peak "
              f"{result['rss_children_peak_mb']:.0f} MB each")  # fmt: skip

    queries = make_queries(words, args.queries, args.seed)
    app = se_data.create_app_for(database, index)
    with app.app_context():
        figures = measure(queries, args.warmup, args.rounds)
    service, raw = figures["service"], figures["raw"]
    print(f"\nquery latency: {len(queries)} queries of 1-3 words from a vocabulary of "
          f"{len(words):,} words (seed {args.seed}), {args.warmup} warm-up, "
          f"{args.rounds} rounds; medians of the rounds, ms")  # fmt: skip
    print(f"{'path':<10}{'p50':>9}{'p95':>9}{'p99':>9}{'mean':>9}{'hits':>9}")
    for name, row in (("service", service), ("raw", raw)):
        print(f"{name:<10}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}"
              f"{row['mean']:>9.1f}{row['hits']:>9.1f}")  # fmt: skip
    print(f"service p95 / raw p95 = {service['p95'] / raw['p95']:.2f} (target <= 1.3); "
          f"p50 ratio {service['p50'] / raw['p50']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
