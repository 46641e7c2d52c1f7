"""The application as bench/load.py serves it: wsgi.py's app, with each worker adding up its own
CPU time per kind of request, so that a mix's figures say what each kind costs the server, not
only how long clients waited (under the mix, waiting is mostly queueing behind other requests).

The load's clients name each request's kind in the X-Bench-Endpoint header (bench/common.py);
a request without it is not counted. Each worker writes its totals, {kind: [requests, CPU
seconds]}, to FORUM_BENCH_CPU_DIR/<pid>.json at most every half second and when a kind is seen
for the first time; the benchmark adds them up once the load is over (common.read_cpu). A
worker's last half second may be missing: a few requests of thousands. CPU time is the
worker's own (user and system, time.process_time): PostgreSQL's share of a request is not in it.

    gunicorn bench.timed_app:app         (bench/load.py starts it; nothing else uses it)
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from bench.common import CPU_WRITTEN_EVERY
from wsgi import app

FOLDER = os.environ.get("FORUM_BENCH_CPU_DIR")
HEADER = "HTTP_X_BENCH_ENDPOINT"


class CpuPerKind:
    """WSGI layer: CPU time of each request, the body's writing included, added to its kind."""

    def __init__(self, wsgi_app, folder: str) -> None:
        self.wsgi_app = wsgi_app
        self.folder = Path(folder)
        self.totals: dict[str, list[float]] = {}
        self.written = 0.0
        self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, environ, start_response):
        kind = environ.get(HEADER)
        if kind is None:
            return self.wsgi_app(environ, start_response)
        began = time.process_time()
        body = self.wsgi_app(environ, start_response)
        try:
            chunks = list(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        self._add(kind, time.process_time() - began)
        return chunks

    def _add(self, kind: str, seconds: float) -> None:
        new = kind not in self.totals
        total = self.totals.setdefault(kind, [0, 0.0])
        total[0] += 1
        total[1] += seconds
        now = time.monotonic()
        if new or now - self.written >= CPU_WRITTEN_EVERY:
            self.written = now
            path = self.folder / f"{os.getpid()}.json"
            path.with_suffix(".tmp").write_text(json.dumps(self.totals))
            path.with_suffix(".tmp").replace(path)


if FOLDER:
    app.wsgi_app = CpuPerKind(app.wsgi_app, FOLDER)
