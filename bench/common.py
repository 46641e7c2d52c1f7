"""Shared pieces of the benchmarks: real text when ../shared is there, servers, load, medians."""

from __future__ import annotations

import html
import http.client
import json
import random
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.servers import AppServer

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "stackexchange"
# The PostgreSQL server the benchmarks use unless told otherwise (the Makefile's POSTGRES_URL).
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def real_answers(limit: int) -> list[str]:
    """Answer bodies from the Stack Exchange dumps beside the project (CC BY-SA), as plain text;
    generated text when the dumps are absent."""
    bodies: list[str] = []
    posts = sorted(DATA.glob("*/Posts.xml")) if DATA.is_dir() else []
    for path in posts:
        for _, element in ET.iterparse(path):
            if element.tag == "row" and element.get("PostTypeId") == "2":
                text = html.unescape(re.sub(r"<[^>]+>", " ", element.get("Body", "")))
                bodies.append(re.sub(r"\s+", " ", text).strip()[:3000])
            element.clear()
            if len(bodies) >= limit:
                return bodies
    while len(bodies) < limit:
        n = len(bodies)
        bodies.append(f"What worked for me, take {n}: small steps, honest questions. " * 8)
    return bodies


class Server(AppServer):
    """A gunicorn process serving `target`, started as the tests start theirs; worker recycling
    is off so figures are steady."""

    def __init__(self, target: str, workers: int = 2, env: dict | None = None):
        super().__init__({"FORUM_MAX_REQUESTS": "0", **(env or {})}, None, workers, target)

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the processes whose parent is this server's master."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def worker_memory(self) -> dict[int, dict[str, float]]:
        """Resident memory of each worker in MB: VmHWM (peak), VmRSS (now), and its private
        (RssAnon) and file-backed (RssFile: mapped files, shared between workers) parts."""
        memory = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.findall(r"^(VmHWM|VmRSS|RssAnon|RssFile):\s+(\d+) kB", status, re.M)
            memory[pid] = {name: int(kb) / 1024 for name, kb in found}
        return memory


def load(url: str, seconds: float, concurrency: int, headers: dict | None = None) -> dict:
    """Requests per second and latency percentiles of GET url, from `concurrency` threads,
    each request sending `headers` (a session cookie, an API token)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        own, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                request = urllib.request.Request(url, headers=headers or {})
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                    if response.status != 200:
                        failed += 1
            except OSError:
                failed += 1
            own.append(time.perf_counter() - started)
        with lock:
            latencies.extend(own)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
        "errors": errors[0],
        "requests": len(latencies),
    }


@dataclass
class Endpoint:
    """One kind of request in a mix: a path (and JSON body, and API token) drawn at random."""

    name: str
    weight: float
    paths: list[str]
    method: str = "GET"
    bodies: list | None = None
    tokens: list[str] | None = None
    ok: tuple[int, ...] = (200, 201)


def _mix_client(base: str, endpoints: list[Endpoint], start_at: float, seconds: float,
                threads: int, seed: int) -> tuple[float, dict]:  # fmt: skip
    """One client process: `threads` threads sending the mix from `start_at` for `seconds`."""
    address = urllib.parse.urlsplit(base)
    weights = [e.weight for e in endpoints]
    found: dict[str, dict] = {e.name: {"latencies": [], "errors": Counter()} for e in endpoints}
    lock = threading.Lock()

    def run(thread_seed: int) -> None:
        rng = random.Random(thread_seed)
        own = {e.name: ([], Counter()) for e in endpoints}
        while time.time() < start_at + seconds:
            endpoint = rng.choices(endpoints, weights)[0]
            # The kind of request, for a server that adds up its CPU time by kind
            # (bench/timed_app.py); any other server ignores it.
            headers = {"Content-Type": "application/json", "X-Bench-Endpoint": endpoint.name}
            if endpoint.tokens:
                headers["Authorization"] = f"Bearer {rng.choice(endpoint.tokens)}"
            body = json.dumps(rng.choice(endpoint.bodies)) if endpoint.bodies else None
            began = time.perf_counter()
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            try:
                connection.request(endpoint.method, rng.choice(endpoint.paths), body, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError as error:
                status = type(error).__name__
            finally:
                connection.close()
            latencies, errors = own[endpoint.name]
            latencies.append(time.perf_counter() - began)
            if status not in endpoint.ok:
                errors[status] += 1
        with lock:
            for name, (latencies, errors) in own.items():
                found[name]["latencies"].extend(latencies)
                found[name]["errors"].update(errors)

    time.sleep(max(0.0, start_at - time.time()))
    workers = [threading.Thread(target=run, args=(seed * 1000 + n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.time() - start_at, found


def mixed_load(pool, base: str, endpoints: list[Endpoint], seconds: float, processes: int,
               threads: int) -> dict[str, dict]:  # fmt: skip
    """Send the mix from `processes` client processes of `pool` (so the client is not held back
    by one interpreter lock), `threads` each; per endpoint: req/s, p50/p95/p99 ms, errors."""
    start_at = time.time() + 0.5
    futures = [
        pool.submit(
            _mix_client, base, endpoints, start_at, seconds, threads, random.getrandbits(30)
        )
        for _ in range(processes)
    ]
    latencies: dict[str, list[float]] = {e.name: [] for e in endpoints}
    errors: dict[str, Counter] = {e.name: Counter() for e in endpoints}
    elapsed = 0.0
    for future in futures:
        took, found = future.result(timeout=seconds + 120)
        elapsed = max(elapsed, took)
        for name, got in found.items():
            latencies[name].extend(got["latencies"])
            errors[name].update(got["errors"])
    results = {}
    for name, values in latencies.items():
        values.sort()
        results[name] = {
            "rps": len(values) / elapsed,
            "p50_ms": 1000 * percentile(values, 50),
            "p95_ms": 1000 * percentile(values, 95),
            "p99_ms": 1000 * percentile(values, 99),
            "errors": sum(errors[name].values()),
            "statuses": dict(errors[name]),
            "requests": len(values),
        }
    return results


# How often a worker of bench/timed_app.py writes its CPU totals, in seconds.
CPU_WRITTEN_EVERY = 0.5


def read_cpu(folder: str | Path) -> dict[str, tuple[int, float]]:
    """The CPU totals of bench/timed_app.py's workers added up: {kind: (requests, seconds)}."""
    found: dict[str, list[float]] = {}
    for path in Path(folder).glob("*.json"):
        for kind, (count, seconds) in json.loads(path.read_text()).items():
            total = found.setdefault(kind, [0, 0.0])
            total[0] += count
            total[1] += seconds
    return {kind: (int(count), seconds) for kind, (count, seconds) in found.items()}


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def median(values) -> float:
    return statistics.median(values)


def time_paths(paths: dict, queries: list[str], warmup: int, rounds: int) -> dict:
    """p50 / p95 / p99 / mean in ms of each path (a function of a query returning its hit count)
    over the queries, taking turns at going first, medians of the rounds, and the mean hits."""
    for q in queries[:warmup]:
        for run in paths.values():
            run(q)
    figures: dict[str, list[dict]] = {name: [] for name in paths}
    hits: dict[str, list[int]] = {name: [] for name in paths}
    for _ in range(rounds):
        timings: dict[str, list[float]] = {name: [] for name in paths}
        for n, q in enumerate(queries):
            for name in list(paths) if n % 2 == 0 else list(reversed(paths)):
                started = time.perf_counter()
                hits[name].append(paths[name](q))
                timings[name].append(time.perf_counter() - started)
        for name, values in timings.items():
            values.sort()
            figures[name].append(
                {f"p{p}": 1000 * percentile(values, p) for p in (50, 95, 99)}
                | {"mean": 1000 * statistics.fmean(values)}
            )
    return {
        name: {key: median(r[key] for r in rounds_) for key in rounds_[0]}
        | {"hits": statistics.fmean(hits[name])}
        for name, rounds_ in figures.items()
    }
