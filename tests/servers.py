"""Real app servers for the tests that need them: gunicorn with the repository's configuration
(forum/gunicorn_config.py) on a free loopback port, configured through FORUM_* variables."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_until_serving(server: AppServer, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.log_text()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer {server.url} within {seconds} s:\n{server.log_text()}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[AppServer]:
    """`gunicorn -c python:forum.gunicorn_config wsgi:app` with these FORUM_* settings on top of
    the environment, `workers` sync workers, gunicorn's output in `log`; stopped afterwards."""
    port = free_port()
    settings = {
        **os.environ,
        "FORUM_BIND": f"127.0.0.1:{port}",
        "FORUM_WORKERS": str(workers),
        "FORUM_ACCESS_LOG": "",
        "FORUM_LOG_LEVEL": "warning",
        **env,
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "python:forum.gunicorn_config", "wsgi:app"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=settings, stdout=output, stderr=subprocess.STDOUT
        )
    server = AppServer(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_serving(server, seconds=30)
        yield server
    finally:
        _stop(process)
