"""Load figures: readers and writers at once against gunicorn serving the Stack Exchange data, on
SQLite + Whoosh and on PostgreSQL, next to a bare Flask endpoint measured in the same run.

    .venv/bin/python bench/load.py [--db sqlite|postgres|both] [--seconds 8] [--rounds 3]
        [--contributions N] [--workers 4] [--processes 2] [--threads 4] [--redis URL|none]

Data: the dumps in ../shared/data/stackexchange, through `flask --app forum import stackexchange`
(every site); `--contributions N` copies contributions up to N in SQL (bench/dataset.py; 100000
for the PostgreSQL search budget). Added through the services: a prompt with 50 rated
contributions and 20 writers with API tokens. PostgreSQL runs in a database of its own (created,
then dropped), and runs as production does, with Redis (`--redis`, the local one by default,
when it answers) holding the readers' page cache for every worker. Rate limits are off (a
private instance).

Each round measures, one after the other: the bare endpoint; alone, the 50-contribution prompt
page (HTML, then JSON) and search (also from a single client: latency without queueing); then
the mix: readers (that page, other prompt pages, strategies, search for words of real titles)
and writers (contributions, ratings). Prints medians over the rounds of requests per second,
p50 / p95 / p99 latency and errors per endpoint, each rate alone as a ratio of the bare
endpoint's, what each kind of request cost a worker in CPU time (bench/timed_app.py: under the
mix, latency is mostly queueing, and this says which requests the others queue behind), where
the mix's CPU went by process (bench/process_cpu.py: the workers, PostgreSQL, the clients), each
worker's peak and final resident memory (private and file-backed); then `search check` and
`recount`, which must report no drift and fix nothing.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import process_cpu  # noqa: E402
from bench.common import (  # noqa: E402
    CPU_WRITTEN_EVERY,
    DATA,
    POSTGRES_URL,
    ROOT,
    Endpoint,
    Server,
    median,
    mixed_load,
    read_cpu,
    real_answers,
)

POSTGRES_ADMIN_URL = os.environ.get("FORUM_BENCH_POSTGRES_URL", POSTGRES_URL)
CONTRIBUTIONS = 50
WRITERS = 20
STOP_WORDS = {
    "what",
    "when",
    "where",
    "which",
    "with",
    "that",
    "this",
    "from",
    "have",
    "your",
    "about",
    "does",
    "there",
    "into",
}


@dataclass
class Community:
    """What the load is made of, read back from the prepared database."""

    env: dict[str, str]
    label: str
    counts: str
    page: str
    page_json: str
    prompt_paths: list[str]
    searches: list[str]
    strategies: list[str]
    open_prompts: list[int]
    rateable: list[int]
    tokens: list[str]
    notes: list[str] = field(default_factory=list)


def flask(env: dict[str, str], *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    return done.returncode, (done.stdout + done.stderr).strip()


def flask_ok(env: dict[str, str], *args: str) -> str:
    code, output = flask(env, *args)
    if code != 0:
        raise SystemExit(f"flask {' '.join(args)} failed ({code}):\n{output}")
    return output


@contextmanager
def postgres_database():
    """A database of this run's own on the PostgreSQL server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"loadbench_{os.getpid()}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_for(env: dict[str, str]):
    from forum import create_app

    settings = {"DATABASE_URL": env["FORUM_DATABASE_URL"], "SEARCH_PATH": env["FORUM_SEARCH_PATH"]}
    if "FORUM_SEARCH_BACKEND" in env:
        settings["SEARCH_BACKEND"] = env["FORUM_SEARCH_BACKEND"]
    return create_app({**settings, "RATELIMIT_ENABLED": False})


def close(app) -> None:
    from forum.extensions import db

    with app.app_context():
        db.session.remove()
        engine = app.extensions.get("search_engine")
        if engine is not None:
            engine.close()
        db.engine.dispose()


def choose_search_backend(env: dict[str, str], notes: list[str]) -> str:
    """The engine the app picks for this database; Whoosh when that one is not available."""
    from forum.search import get_engine

    app = app_for(env)
    with app.app_context():
        name = app.config["SEARCH_BACKEND"]
        try:
            get_engine()
        except Exception as error:  # noqa: BLE001 - any failure: measure with Whoosh instead
            notes.append(f"search engine {name!r} not available ({error}); measured with whoosh")
            name = env["FORUM_SEARCH_BACKEND"] = "whoosh"
    close(app)
    return name


def load_dumps(env: dict[str, str], notes: list[str]) -> None:
    flask_ok(env, "import", "stackexchange", str(DATA))  # one topic per site
    notes.append("data: flask --app forum import stackexchange (every site)")


def add_bench_people(env: dict[str, str], contributions: int) -> tuple[int, list[str]]:
    """The 50-contribution prompt (rated by members) and the writers' API tokens; replicates
    contributions up to `contributions` first. Cheap password hashes: nobody signs in here."""
    from werkzeug.security import generate_password_hash

    from bench import dataset
    from forum.services import accounts, prompts, ratings, topics
    from forum.services import contributions as contributing

    accounts.generate_password_hash = functools.partial(
        generate_password_hash, method="pbkdf2:sha256:1000"
    )
    app = app_for(env)
    with app.app_context():
        if contributions:
            dataset.replicate_contributions(contributions)
        editor = accounts.register("bencheditor", "editor@example.org", "x" * 12, role="moderator")
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
            contribution = contributing.create_contribution(author, prompt, body)
            for k, rater in enumerate(raters[: n % 8]):
                ratings.rate(rater, contribution, 1 + (n + k) % 5)
        tokens = []
        for n in range(WRITERS):
            writer = accounts.register(f"writer{n}", f"w{n}@example.org", "x" * 12)
            tokens.append(accounts.create_token(writer, "load")[1])
        prompt_id = prompt.id
    close(app)
    return prompt_id, tokens


def read_community(env, prompt_id: int, tokens: list[str], notes: list[str]) -> Community:
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.models import Contribution, Prompt, Topic

    rng = random.Random(7)
    app = app_for(env)
    with app.app_context():
        count = db.session.scalar(select(func.count(Contribution.id)))
        prompts = db.session.execute(select(Prompt.id, Prompt.slug, Prompt.title)).all()
        slug = next(s for i, s, _ in prompts if i == prompt_id)
        rateable = db.session.scalars(
            select(Contribution.id).where(Contribution.author_id.is_(None)).limit(20_000)
        ).all()
        bench = db.session.scalars(
            select(Contribution.id).where(Contribution.prompt_id == prompt_id)
        ).all()
        topic_slugs = db.session.scalars(select(Topic.slug)).all()
    close(app)
    words = sorted(
        {w for _, _, t in prompts for w in re.findall(r"[a-z]{4,}", t.lower())} - STOP_WORDS
    )
    searches = [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(2000)]
    paths = [f"/prompts/{i}/{s}" for i, s, _ in rng.sample(prompts, min(1000, len(prompts))) if s]
    return Community(
        env=env,
        label="",
        counts=f"{len(prompts):,} prompts, {count:,} contributions",
        page=f"/prompts/{prompt_id}/{slug}",
        page_json=f"/api/v1/prompts/{prompt_id}/contributions?per_page={CONTRIBUTIONS}",
        prompt_paths=paths,
        searches=["/search?" + urllib.parse.urlencode({"q": q}) for q in searches],
        strategies=["/strategies", "/strategies?page=2"]
        + [f"/strategies?topic={t}" for t in topic_slugs],
        open_prompts=[i for i, _, _ in rng.sample(prompts, min(1000, len(prompts)))],
        rateable=rng.sample(rateable, min(5000, len(rateable))) + bench * 20,
        tokens=tokens,
        notes=notes,
    )


def vacuum_analyze(env: dict[str, str]) -> None:
    """Statistics and visibility maps after the bulk load, as autovacuum keeps them on a live
    server: the copies and `recount` leave most contributions' first versions dead, and
    without statistics the planner takes the table for empty (this machine's server runs with
    autovacuum off; before this step the mix measured half its rate)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(env["FORUM_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def prepare(url: str, folder: Path, contributions: int) -> Community:
    env = {
        "FORUM_DATABASE_URL": url,
        "FORUM_SEARCH_PATH": str(folder / "search-index"),
        "FORUM_RATELIMIT_ENABLED": "false",
        "FORUM_SECRET_KEY": "load-bench-secret-key-for-this-run-only",
    }
    notes: list[str] = []
    flask_ok(env, "db", "upgrade")
    backend = choose_search_backend(env, notes)
    load_dumps(env, notes)
    prompt_id, tokens = add_bench_people(env, contributions)
    notes.append(f"before the run: recount: {flask_ok(env, 'recount')}")
    code, _ = flask(env, "search", "check")
    if code != 0:  # the copies bypass the outbox; recount moved scores
        indexed = flask_ok(env, "search", "reindex").splitlines()[-1]
        notes.append(f"before the run: search reindex: {indexed}")
    if url.startswith("postgresql"):
        vacuum_analyze(env)
        notes.append("before the run: VACUUM ANALYZE (what autovacuum does on a live server)")
    found = flask_ok(env, "search", "related").splitlines()[-1]
    notes.append(f"before the run: search related (what readers' first visits keep): {found}")
    community = read_community(env, prompt_id, tokens, notes)
    community.label = f"{'PostgreSQL' if url.startswith('postgresql') else 'SQLite'} + {backend}"
    return community


def mix(c: Community) -> list[Endpoint]:
    answers = [{"body": body} for body in real_answers(200)]
    contribute = [f"/api/v1/prompts/{i}/contributions" for i in c.open_prompts]
    rate = [f"/api/v1/contributions/{i}/rating" for i in c.rateable]
    return [
        Endpoint("mix: prompt page (50)", 20, [c.page]),
        Endpoint("mix: other prompt pages", 20, c.prompt_paths),
        Endpoint("mix: strategies", 10, c.strategies),
        Endpoint("mix: search", 20, c.searches),
        Endpoint("mix: contribute (API)", 5, contribute, "POST", answers, c.tokens),
        Endpoint("mix: rate (API)", 10, rate, "PUT", [{"score": k} for k in range(1, 6)], c.tokens),
    ]


def measure(c: Community, args, cpu_folder: str) -> tuple[dict, dict, dict]:
    """Rounds of bare / page HTML / page JSON / search / mix; medians; memory at the end; the
    workers' CPU time per kind of request, over the warm-up and every round."""
    bare = Server("bench.bare:app", workers=args.workers)
    try:
        # wsgi.py's app, adding up each worker's CPU time per kind of request (timed_app.py).
        forum = Server("bench.timed_app:app", workers=args.workers,
                       env={**c.env, "FORUM_BENCH_CPU_DIR": cpu_folder})  # fmt: skip
    except BaseException:
        bare.stop()
        raise
    full, one = (args.processes, args.threads), (1, 1)
    phases = [  # base URL, endpoints, (client processes, threads each)
        (bare.url, [Endpoint("bare Flask", 1, ["/"])], full),
        (forum.url, [Endpoint("prompt page (50) HTML, alone", 1, [c.page])], full),
        (forum.url, [Endpoint("prompt page (50) JSON, alone", 1, [c.page_json])], full),
        (forum.url, [Endpoint("search, alone", 1, c.searches)], full),
        # Latency without queueing behind other requests: what the search budget speaks of.
        (forum.url, [Endpoint("search, alone, one client", 1, c.searches)], one),
        (forum.url, mix(c), full),
    ]
    rounds: dict[str, list[dict]] = {}
    mix_cpu = {"requests": 0, "seconds": 0.0}  # CPU seconds by group over every round's mix
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(args.processes, mp_context=context) as pool:
            for base, endpoints, (processes, threads) in phases:  # warm up workers and caches
                mixed_load(pool, base, endpoints, 2.0, processes, threads)
            workers, servers = forum.worker_pids(), [bare.process.pid, forum.process.pid]
            for _ in range(args.rounds):
                for base, endpoints, (processes, threads) in phases:
                    before = process_cpu.snapshot(workers, servers)
                    found = mixed_load(pool, base, endpoints, args.seconds, processes, threads)
                    if len(found) > 1:  # the mix: where its CPU went
                        spent = process_cpu.spent(before, process_cpu.snapshot(workers, servers))
                        for group, seconds in spent.items():
                            mix_cpu[group] = mix_cpu.get(group, 0.0) + seconds
                        mix_cpu["requests"] += sum(r["requests"] for r in found.values())
                        mix_cpu["seconds"] += args.seconds
                    for name, result in found.items():
                        rounds.setdefault(name, []).append(result)
        memory = forum.worker_memory()
        time.sleep(2 * CPU_WRITTEN_EVERY)  # the workers' last totals written
        cpu = read_cpu(cpu_folder)
        cpu["mix, by process"] = mix_cpu
    finally:
        bare.stop()
        forum.stop()
    return rounds, memory, cpu


def report(c: Community, rounds: dict, memory: dict, cpu: dict, args) -> None:
    print(
        f"\n== {c.label}: {c.counts}; gunicorn {args.workers} sync workers; clients "
        f"{args.processes} processes x {args.threads} threads; {args.rounds} rounds of "
        f"{args.seconds:g} s; medians"
    )
    for note in c.notes:
        print(f"   {note}")
    base = median(r["rps"] for r in rounds["bare Flask"])
    print(
        f"{'endpoint':<32}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'CPU ms':>8}{'ratio':>7}"
    )
    total = 0.0
    for name, results in rounds.items():
        rps = median(r["rps"] for r in results)
        statuses: dict = {}
        for r in results:
            for status, n in r["statuses"].items():
                statuses[status] = statuses.get(status, 0) + n
        in_mix = name.startswith("mix: ")
        total += rps if in_mix else 0.0
        print(
            f"{name:<32}{rps:>8.1f}{median(r['p50_ms'] for r in results):>8.1f}"
            f"{median(r['p95_ms'] for r in results):>8.1f}"
            f"{median(r['p99_ms'] for r in results):>8.1f}{sum(statuses.values()):>7}"
            + _cpu_ms(cpu.get(name))
            + ("" if in_mix else f"{rps / base:>7.2f}")
            + (f"  {statuses}" if statuses else "")
        )
    print(f"{'mix: all':<32}{total:>8.1f}")
    print(
        "CPU ms: a worker's own CPU time per request (user + system, PostgreSQL's not in it),"
        " over the warm-up and every round (bench/timed_app.py)"
    )
    print(_mix_cpu(cpu.get("mix, by process")))
    print("worker memory at the end, MB (peak VmHWM; now VmRSS = private RssAnon + RssFile):")
    for pid, m in sorted(memory.items()):
        print(
            f"  worker {pid}: peak {m['VmHWM']:.0f}; now {m['VmRSS']:.0f} = "
            f"{m['RssAnon']:.0f} + {m['RssFile']:.0f}"
        )
    for command in (("search", "check"), ("recount",)):
        code, output = flask(c.env, *command)
        print(
            f"after the run: flask {' '.join(command)} (exit {code}): "
            + " | ".join(output.splitlines())
        )


def _mix_cpu(found: dict | None) -> str:
    """Where the mix's CPU went, in ms a request, and how many cores were busy on average."""
    if not found or not found["requests"]:
        return "the mix's CPU by process: not measured"
    per = {g: 1000 * found.get(g, 0.0) / found["requests"] for g in process_cpu.GROUPS}
    other = per["machine"] - per["workers"] - per["postgres"] - per["clients"]
    return (
        f"the mix's CPU, ms a request (bench/process_cpu.py, every round): app workers "
        f"{per['workers']:.2f}, PostgreSQL {per['postgres']:.2f}, load clients "
        f"{per['clients']:.2f}, everything else {other:.2f}; cores busy "
        f"{found.get('machine', 0.0) / found['seconds']:.2f} of {os.cpu_count()}"
    )


def _cpu_ms(found: tuple[int, float] | None) -> str:
    if not found or not found[0]:
        return f"{'-':>8}"
    count, seconds = found
    return f"{1000 * seconds / count:>8.2f}"


def with_redis(c: Community, url: str) -> None:
    """PostgreSQL runs as production does: with Redis for the limits and the readers' page
    cache (FORUM_REDIS_URL), under a key prefix of this run's own, when Redis answers."""
    if url == "none":
        c.notes.append("no Redis: page cache in each worker")
        return
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        c.notes.append(f"Redis at {url} not reachable ({error}): page cache in each worker")
        return
    c.env["FORUM_REDIS_URL"] = url
    c.env["FORUM_CACHE_KEY_PREFIX"] = f"loadbench:{os.getpid()}:"
    c.notes.append(f"Redis at {url}: page cache shared by the workers (FORUM_REDIS_URL)")


def run_one(kind: str, args) -> None:
    with tempfile.TemporaryDirectory(prefix="loadbench-") as tmp:
        folder = Path(tmp)
        if kind == "sqlite":
            community = prepare(f"sqlite:///{folder / 'forum.db'}", folder, args.contributions)
            rounds, memory, cpu = measure(community, args, str(folder / "cpu"))
            report(community, rounds, memory, cpu, args)
            return
        with postgres_database() as url:
            community = prepare(url, folder, args.contributions)
            with_redis(community, args.redis)
            rounds, memory, cpu = measure(community, args, str(folder / "cpu"))
            report(community, rounds, memory, cpu, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--contributions",
        type=int,
        default=0,
        help="replicate contributions up to N (100000 for the budget)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per client process")
    parser.add_argument(
        "--redis",
        default=os.environ.get("FORUM_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis for the PostgreSQL run, as production has it ('none': without)",
    )
    args = parser.parse_args()
    from bench import dataset

    dataset.require_data()
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run_one(kind, args)


if __name__ == "__main__":
    main()
