"""Gunicorn settings for Commonplace app servers.

    gunicorn -c python:forum.gunicorn_config wsgi:app

Read from the environment, like the app's own settings:

| variable | default | meaning |
|---|---|---|
| FORUM_BIND | 127.0.0.1:8000 | address to listen on (a proxy in front terminates TLS) |
| FORUM_WORKERS | 2 x CPU cores | sync worker processes |
| FORUM_MAX_REQUESTS | 1000 | a worker is replaced after about this many requests (0: never) |
| FORUM_TIMEOUT | 30 | seconds a request may take before its worker is killed and replaced |
| FORUM_ACCESS_LOG | - (stdout) | access log file; empty for none |
| FORUM_LOG_LEVEL | info | gunicorn's own log level |

Decisions:

- Sync workers. Every request is short (the budgets ask for pages in milliseconds) and the app
  keeps no state between requests, so processes, not threads, use both cores; slow clients are
  the proxy's business (nginx buffers them), not the workers'.
- No preload. `create_app()` opens the database pool and the search index and drains the search
  outbox; made before the fork, the workers would share sockets and file handles they must each
  own. Preloading would save little memory anyway (reference counting touches the pages
  copy-on-write meant to share), and without it `kill -HUP` reloads new code worker by worker.
- Bounded worker memory: after `max_requests` (plus up to 10% random jitter, so workers do not
  all restart at once) a worker finishes its request and is replaced. Each keeps a per-worker page
  cache and Whoosh searcher; recycling keeps them well under the 150 MB budget.
- Heartbeat files in /dev/shm when it exists: a worker blocked on a slow disk is not mistaken
  for a hung one.
- Garbage collection tuned per worker once its app is made (`post_worker_init`): what exists
  then (the app, its mappers, configuration, the loaded modules) lives as long as the worker,
  so it is frozen out of every later collection, and the youngest generation is collected
  every GC_YOUNG allocations instead of 700. A page of ORM rows and template output allocates
  tens of thousands of short-lived objects; with the defaults each request paid several
  collections that walked the whole heap (1-2 ms of a 15-60 ms page, measured with
  `gc.callbacks`). Reference counting still frees almost everything at once; the collector
  only finds cycles, and those wait a little longer.
- No control socket (gunicorn 27+): its default path is in the home folder, shared by every
  gunicorn of that user, so two app servers on one host would fight over it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os

# Allocations between collections of the youngest generation (Python's default: 700).
GC_YOUNG = 10_000


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")
workers = _int("FORUM_WORKERS", 2 * multiprocessing.cpu_count())
worker_class = "sync"
preload_app = False

max_requests = _int("FORUM_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

timeout = _int("FORUM_TIMEOUT", 30)
graceful_timeout = 30  # a restart lets requests in flight finish
keepalive = 5  # seconds; only matters for a proxy that keeps connections open

SHARED_MEMORY = "/dev/shm"  # noqa: S108 (heartbeat files only, no data)
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY

control_socket_disable = True  # gunicorn 27+; earlier versions ignore the name

proc_name = "commonplace"
loglevel = os.environ.get("FORUM_LOG_LEVEL", "info")
errorlog = "-"
accesslog = os.environ.get("FORUM_ACCESS_LOG", "-") or None
# Client (as the proxy forwarded it), request line, status, bytes, duration in microseconds, pid.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(D)sus %(p)s'


def post_worker_init(worker) -> None:
    """The worker's app is made: keep what it holds out of later collections (see above)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
