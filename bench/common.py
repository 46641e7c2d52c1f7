"""Shared pieces of the benchmarks: real text when ../shared is there, servers, load, medians."""

from __future__ import annotations

import html
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "stackexchange"


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn process serving `target` on a free loopback port."""

    def __init__(self, target: str, workers: int = 2, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b",
                   f"127.0.0.1:{self.port}", "--log-level", "warning", target]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server on {self.url} did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def load(url: str, seconds: float, concurrency: int) -> dict:
    """Requests per second and latency percentiles of GET url, from `concurrency` threads."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        own, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
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


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def median(values) -> float:
    return statistics.median(values)
