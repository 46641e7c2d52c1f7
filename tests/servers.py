"""Real app servers, for the tests that need them and for the benchmarks: gunicorn with the
repository's configuration (forum/gunicorn_config.py) on a free loopback port, configured through
FORUM_* variables. Plain Python, so the benchmarks use it without the test tools installed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """`gunicorn -c python:forum.gunicorn_config TARGET` with these FORUM_* settings on top of
    the environment and `workers` sync workers, serving once constructed; `stop()` ends it.
    gunicorn's output goes to `log`; without one, its log goes to the terminal's stderr."""

    def __init__(self, env: dict[str, str], log: Path | None = None, workers: int = 2,
                 target: str = "wsgi:app", wait: float = 30) -> None:  # fmt: skip
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        settings = {
            **os.environ,
            "FORUM_BIND": f"127.0.0.1:{port}",
            "FORUM_WORKERS": str(workers),
            "FORUM_ACCESS_LOG": "",
            "FORUM_LOG_LEVEL": "warning",
            **env,
        }
        command = [sys.executable, "-m", "gunicorn", "-c", "python:forum.gunicorn_config", target]
        if log is None:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=settings, stdout=subprocess.DEVNULL
            )
        else:
            with log.open("wb") as output:
                self.process = subprocess.Popen(
                    command, cwd=ROOT, env=settings, stdout=output, stderr=subprocess.STDOUT
                )
        try:
            self._wait_until_serving(wait)
        except BaseException:
            self.stop()
            raise

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log else ""

    def _wait_until_serving(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log_text()}"
                )
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(
            f"gunicorn did not answer {self.url} within {seconds} s:\n{self.log_text()}"
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[AppServer]:
    """An AppServer serving `wsgi:app` for the length of the block, stopped afterwards."""
    server = AppServer(env, log, workers)
    try:
        yield server
    finally:
        server.stop()
