"""Search speed on the real Stack Exchange text, replicated to scale: reindex rate and peak memory,
query latency through the service layer next to raw Whoosh on the same index, and the cost of
adversarial queries against ordinary ones on both engines.

    .venv/bin/python bench/search_bench.py [--contributions 100000] [--queries 500] [--rounds 3]
        [--engines whoosh,postgres] [--url URL]

Imports every site in ../shared/data/stackexchange with the product's importer (bench/dataset.py:
what `flask --app forum import stackexchange` runs, index included) into a temporary SQLite
database, copies the contributions under new ids up to --contributions in SQL, and then:

- reindex: forum.search.maintenance.reindex in a fresh process (documents per second, design
  target >= 1,500; peak RSS of that process and of its writer processes, from getrusage);
- latency: --queries queries of one to three words drawn from the corpus vocabulary (fixed seed),
  after a warm-up, each timed through forum.services.search.search (parse, engine top 200, SQL
  re-filter, blend, snippets, suggestions) and through raw Whoosh (the engine's queries from
  forum/search/whoosh/queries.py: as typed, and the soft query when that finds fewer than 200,
  searcher.search(query, limit=200), reading the stored fields of every hit), alternately
  first; p50 / p95 / p99 per round, medians of the rounds, and the ratio service p95 / raw p95
  (design target <= 1.2);
- long queries (pasted_questions(): a prompt's title and the first 100 words of its text, as
  a reader pastes a question), through the service, against the ordinary p95;
- adversarial queries (adversarial_queries(): 200 words, a long quoted phrase, nested brackets,
  made-up and misspelt words, wildcards, many short words, twenty common words ORed), each timed
  through the service like the ordinary ones; p95 of the adversarial set / p95 of the ordinary set
  (medians of the rounds; design target <= 5), on Whoosh and then on PostgreSQL (a schema of its
  own on --url, loaded the same way; skipped with a message when the server does not answer).

Prints figures; never asserts timings. Exits with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402
from bench.common import POSTGRES_URL, median, percentile, time_paths  # noqa: E402

# Pasted questions timed on each engine: the long queries readers now send whole.
LONG_QUERIES = 60
WORD = re.compile(r"\w{3,}")
# Whoosh's English stop words and a few more that no reader searches for alone.
EXTRA_STOP = frozenset(("also", "can", "could", "would", "should", "one", "use", "using",
                        "used", "like", "get", "got", "make", "made", "much", "many", "just",
                        "even", "still", "well"))  # fmt: skip


def vocabulary(min_documents: int, limit_documents: int = 20_000, by_frequency=False) -> list[str]:
    """Words (3+ letters, not stop words) found in at least `min_documents` of the imported
    questions and answers (the originals, not the copies), in order or most frequent first."""
    from sqlalchemy import select
    from whoosh.lang import stopwords_for_language

    from forum.extensions import db
    from forum.models import Contribution, ImportedPost, Prompt
    from forum.search.documents import plain_text

    stop = set(stopwords_for_language("en")) | EXTRA_STOP
    frequency: Counter = Counter()
    for (title,) in db.session.execute(select(Prompt.title)):
        frequency.update(_words(title))
    rows = db.session.execute(
        select(Contribution.body_html)
        .join(ImportedPost, ImportedPost.contribution_id == Contribution.id)
        .order_by(Contribution.id)
        .limit(limit_documents)
    )
    for (body,) in rows:
        frequency.update(_words(plain_text(body)))
    kept = [w for w, n in frequency.most_common() if n >= min_documents and w not in stop]
    return kept if by_frequency else sorted(kept)


def _words(text: str) -> set[str]:
    """Whole words of letters only (not the "dprinting" of "3dprinting")."""
    return {w for w in WORD.findall(text.lower()) if w.isalpha()}


def make_queries(words: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(count)]


def _misspelt(word: str, rng: random.Random) -> str:
    """The word with one or two letters swapped, dropped or replaced."""
    letters = list(word)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(letters))
        edit = rng.choice(("swap", "drop", "replace"))
        if edit == "swap" and i + 1 < len(letters):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        elif edit == "drop" and len(letters) > 3:
            del letters[i]
        else:
            letters[i] = rng.choice(string.ascii_lowercase)
    return "".join(letters)


def adversarial_queries(words: list[str], seed: int, variants: int = 3) -> list[tuple[str, str]]:
    """(kind, query) pairs built to cost a lot: 200 words, a long quoted phrase, nested brackets,
    made-up, misspelt and wildcard words, many short words, twenty common words ORed. `words`
    come most frequent first."""
    from forum.search.query import MAX_DEPTH

    rng = random.Random(seed)
    long_words = [w for w in words if len(w) >= 7]
    common = words[:100]
    words = sorted(words)

    def made_up(n: int) -> list[str]:
        return [
            "".join(rng.choices(string.ascii_lowercase, k=rng.randint(7, 12))) for _ in range(n)
        ]

    queries = []
    for _ in range(variants):
        word = rng.choice(words)
        nested = " OR ".join(
            f"({a} {b})" for a, b in zip(rng.sample(words, 13), rng.sample(words, 13), strict=True)
        )
        depth = min(rng.randint(6, 12), MAX_DEPTH - 1)  # as deep as the parser allows
        queries += [
            ("200 words", " ".join(rng.choices(words, k=200))),
            ("200 words, quoted", ('"' + " ".join(made_up(200)))[:499] + '"'),
            ("245 nested brackets", "(" * 245 + word + ")" * 245),
            ("nested brackets, 40 words", "(" * depth + nested + ")" * depth),
            ("40 made-up words", " ".join(made_up(40))),
            ("40 misspelt words", " ".join(_misspelt(w, rng) for w in rng.sample(long_words, 40))),
            ("40 wildcards", " ".join(w[: rng.randint(2, 4)] + rng.choice("*?") for w in
                                      rng.sample(words, 40))),
            ("40 short words", " ".join(rng.choice(words)[:2] for _ in range(40))),
            ("20 common words ORed", " OR ".join(rng.sample(common, 20))),
        ]  # fmt: skip
    return queries


def pasted_questions(count: int, seed: int) -> list[tuple[str, str]]:
    """("pasted question", query) pairs: what a reader pastes, a question's title and the first
    100 words of its text as written (punctuation, quotes and brackets kept), from the loaded
    prompts."""
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.models import Prompt

    rng = random.Random(seed)
    rows = db.session.execute(
        select(Prompt.title, Prompt.intro).where(func.length(Prompt.intro) > 400)
    ).all()
    chosen = rng.sample(rows, min(count, len(rows)))
    return [("pasted question", f"{t} {' '.join(intro.split()[:100])}") for t, intro in chosen]


def report_long(engine: str, ordinary_p95: float, figures: dict) -> None:
    print(f"{engine}: long queries (pasted questions, title + first 100 words), through the "
          f"service: median {figures['pasted question']:.1f} ms, p95 {figures['p95']:.1f} ms "
          f"= {figures['p95'] / ordinary_p95:.2f} of the ordinary p95")  # fmt: skip


# -- reindex, in its own process so its peak memory is its own ---------------------------------
def reindex_child(database: str, index: str) -> None:
    app = dataset.create_app_for(Path(database), Path(index))
    with app.app_context():
        from forum.search import maintenance

        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rebuilt = maintenance.reindex()
    result = {"documents": rebuilt.documents, "seconds": rebuilt.seconds,
              "per_second": rebuilt.per_second}  # fmt: skip
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
    """Whoosh alone: the engine's queries for q, searched with its open searcher: the query as
    typed, then, while fewer than 200 are found and the words may match softly, the soft passes,
    most of the words and then any one of them (forum/search/whoosh/searching.py asks the
    same)."""
    from forum.search.whoosh import queries

    searcher = engine.searcher()
    parsed, estimate = parse(q), queries.frequencies(searcher)
    results = searcher.search(queries.build_query(searcher.schema, parsed, estimate), limit=200)
    for loose in (False, True):
        if results.scored_length() >= 200:
            break
        node = queries.text_node(parsed, estimate)
        soft = queries.soft_query(searcher.schema, node, loose=loose)
        if soft is not None:
            results = searcher.search(soft[0], limit=200)
    for hit in results:
        hit.fields()
    return results.scored_length()


def service_search(search, session, q: str) -> int:
    """What GET /api/v1/search does for q; a refused query (a 400) counts as no hits."""
    from forum.services.search import BadQuery

    try:
        return search(q).total
    except BadQuery:
        return 0
    finally:
        session.remove()  # what the end of a request does


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


def measure_adversarial(adversarial: list[tuple[str, str]], rounds: int) -> dict:
    """Service latency of the adversarial queries: p95 of the set per round and each kind's
    median, medians of the rounds, in ms."""
    from forum.extensions import db
    from forum.services.search import search

    p95s, by_kind = [], {}
    for _ in range(rounds):
        timings = []
        for kind, q in adversarial:
            started = time.perf_counter()
            service_search(search, db.session, q)
            elapsed = 1000 * (time.perf_counter() - started)
            timings.append(elapsed)
            by_kind.setdefault(kind, []).append(elapsed)
        p95s.append(percentile(sorted(timings), 95))
    return {"p95": median(p95s)} | {k: statistics.median(v) for k, v in by_kind.items()}


def report_adversarial(engine: str, ordinary_p95: float, figures: dict) -> None:
    print(f"\nadversarial queries on {engine}, through the service; medians of the rounds, ms")
    for kind, value in figures.items():
        if kind != "p95":
            print(f"  {kind:<28}{value:>9.1f}")
    ratio = figures["p95"] / ordinary_p95
    print(f"{engine}: adversarial p95 {figures['p95']:.1f} ms / ordinary p95 {ordinary_p95:.1f} ms"
          f" = {ratio:.2f} (target <= 5)")  # fmt: skip


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
    parser.add_argument("--engines", default="whoosh,postgres", help="comma-separated")
    parser.add_argument("--url", default=POSTGRES_URL, help="the PostgreSQL server for postgres")
    parser.add_argument("--schema", default="search_bench", help="the PostgreSQL schema used")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema for reuse")
    parser.add_argument("--reindex-child", nargs=2, metavar=("DB", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()  # fmt: skip
    if args.reindex_child:
        reindex_child(*args.reindex_child)
        return
    dataset.require_data()
    engines = args.engines.split(",")
    if "whoosh" in engines:
        if args.workdir:
            args.workdir.mkdir(parents=True, exist_ok=True)
            run(args, args.workdir)
        else:
            with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
                run(args, Path(tmp))
    if "postgres" in engines:
        run_postgres(args)


def run(args, folder: Path) -> None:
    database, index = folder / "bench.db", folder / "search-index"
    reuse = database.exists()
    app = dataset.create_app_for(database, index)
    with app.app_context():
        if not reuse:
            loaded = dataset.load()
            print(dataset.report(loaded))
            started = time.perf_counter()
            added = dataset.replicate_contributions(args.contributions)
            print(f"copied to {loaded.contributions + added:,} contributions in "
                  f"{time.perf_counter() - started:.1f} s (indexed by the reindex)")  # fmt: skip
        else:
            print(f"reusing {database}")
        ranked = vocabulary(args.min_df, by_frequency=True)
        words = sorted(ranked)

    if not (reuse and args.skip_reindex):
        result = reindex(database, index)
        print(f"\nreindex (maintenance.reindex, own process): {result['documents']:,} documents "
              f"in {result['seconds']:.1f} s = {result['per_second']:,.0f} documents/s "
              f"({result['per_second'] / 1500:.2f} of the 1,500/s target)")  # fmt: skip
        print(f"  peak RSS: {result['rss_peak_mb']:.0f} MB (before reindex "
              f"{result['rss_before_mb']:.0f} MB); writer processes' peak "
              f"{result['rss_children_peak_mb']:.0f} MB each")  # fmt: skip

    queries = make_queries(words, args.queries, args.seed)
    app = dataset.create_app_for(database, index)
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
    print(f"service p95 / raw p95 = {service['p95'] / raw['p95']:.2f} (target <= 1.2); "
          f"p50 ratio {service['p50'] / raw['p50']:.2f}")  # fmt: skip
    with app.app_context():
        adversarial = measure_adversarial(adversarial_queries(ranked, args.seed), args.rounds)
        long = measure_adversarial(pasted_questions(LONG_QUERIES, args.seed), args.rounds)
    report_adversarial("whoosh", service["p95"], adversarial)
    report_long("whoosh", service["p95"], long)


def run_postgres(args) -> None:
    """Ordinary and adversarial queries through the service on the PostgreSQL engine."""
    from sqlalchemy import create_engine, exc

    from bench import search_pg_bench as pg

    probe = create_engine(args.url)
    try:
        probe.connect().close()
    except exc.OperationalError:
        print(f"\nPostgreSQL at {args.url} does not answer: postgres skipped.")
        return
    finally:
        probe.dispose()
    try:
        app = load_postgres(pg, args)
        with app.app_context():
            ranked = vocabulary(args.min_df, by_frequency=True)
            words = sorted(ranked)
            queries = make_queries(words, args.queries, args.seed)
            ordinary = pg.measure(queries, args.warmup, args.rounds)["service"]
            adversarial = measure_adversarial(adversarial_queries(ranked, args.seed), args.rounds)
            long = measure_adversarial(pasted_questions(LONG_QUERIES, args.seed), args.rounds)
        print(f"\npostgres ordinary queries through the service: p50 {ordinary['p50']:.1f} ms, "
              f"p95 {ordinary['p95']:.1f} ms, p99 {ordinary['p99']:.1f} ms")  # fmt: skip
        report_adversarial("postgres", ordinary["p95"], adversarial)
        report_long("postgres", ordinary["p95"], long)
    finally:
        if not args.keep:
            pg.drop_schema(args.url, args.schema)


def load_postgres(pg, args):
    """An app on its own schema of the PostgreSQL server, loaded as bench/search_pg_bench.py
    loads it (vectors by the triggers), or reused when it already holds the data."""
    from sqlalchemy import func, select, text

    from forum.extensions import db
    from forum.models import Contribution

    app, reuse = pg.create_app_on(args.url, args.schema)
    with app.app_context():
        if reuse and db.session.scalar(select(func.count(Contribution.id))):
            print(f"\nreusing PostgreSQL schema {args.schema}")
            return app
        started = time.perf_counter()
        loaded = dataset.load()
        print(f"\nPostgreSQL: {dataset.report(loaded)}")
        added = dataset.replicate_contributions(args.contributions)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        print(f"copied to {loaded.contributions + added:,} contributions; "
              f"{time.perf_counter() - started:.1f} s in all (vectors by triggers)")  # fmt: skip
    return app


if __name__ == "__main__":
    main()
