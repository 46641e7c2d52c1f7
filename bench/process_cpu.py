"""Where a phase's CPU went on this machine: the app's workers, PostgreSQL's processes, the load's
clients and everything else, read from /proc before and after (Linux only; elsewhere nothing).

The load, the app and PostgreSQL share the same cores, so what one of them spends the others
wait for: a request's latency under a mix is its own cost plus the queue in front of it.
"""

from __future__ import annotations

import os
from pathlib import Path

GROUPS = ("workers", "postgres", "clients", "machine")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command, parent pid, CPU seconds: user + system) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    command = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return command, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _busy_seconds() -> float:
    """CPU seconds the machine spent on anything but idling, all cores together."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(f) for f in fields]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / TICKS  # less idle and iowait


def snapshot(workers: list[int], servers: list[int]) -> dict[str, dict[int, float]]:
    """CPU seconds so far per process, by group: `workers` (the app's), `postgres` (every
    process named so), `clients` (this process's children but the `servers`), and `machine`."""
    groups: dict[str, dict[int, float]] = {"workers": {}, "postgres": {}, "clients": {}}
    me = os.getpid()
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        found = _stat(pid)
        if found is None:
            continue
        command, parent, seconds = found
        if pid in workers:
            groups["workers"][pid] = seconds
        elif command == "postgres":
            groups["postgres"][pid] = seconds
        elif parent == me and pid not in servers:
            groups["clients"][pid] = seconds
    groups["machine"] = {0: _busy_seconds()}
    return groups


def spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each group spent between two snapshots (a process started between them
    counts from zero; one that ended is missing)."""
    return {
        group: sum(seconds - before[group].get(pid, 0.0) for pid, seconds in now.items())
        for group, now in after.items()
    }
