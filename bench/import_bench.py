"""Import every Stack Exchange dump beside the project, then a five times bigger copy of them.

    .venv/bin/python bench/import_bench.py [--rounds N]

Each run is `flask --app forum import stackexchange DIR` (one topic per site folder) in a child
process on a fresh SQLite database and Whoosh index in a temporary folder, index included. It
prints the seconds, posts imported per second and the child's peak memory (ru_maxrss) for the
real data and for a synthetic copy five times its size (every Posts, Users and Votes row five
times over, with ids shifted), then how much the peak memory grew (budget: under 10%). With
several rounds, figures are medians. Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "stackexchange"
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "forum"]
COPIED = ("Posts.xml", "Users.xml", "Votes.xml")
ID_COLUMNS = {  # attributes holding ids of posts ("p") or users ("u") that a copy shifts
    "Posts.xml": {"Id": "p", "ParentId": "p", "AcceptedAnswerId": "p", "OwnerUserId": "u",
                  "LastEditorUserId": "u"},
    "Users.xml": {"Id": "u", "AccountId": "u"},
    "Votes.xml": {"Id": "v", "PostId": "p", "UserId": "u"},
}  # fmt: skip


def _rows(path: Path):
    for _, element in ET.iterparse(path):
        if element.tag == "row":
            yield element.attrib
        element.clear()


def _max_ids(folder: Path) -> dict[str, int]:
    spans = {"p": 0, "u": 0, "v": 0}
    for name, columns in ID_COLUMNS.items():
        if (folder / name).is_file():
            for row in _rows(folder / name):
                for column, kind in columns.items():
                    value = row.get(column, "")
                    if value.lstrip("-").isdigit():
                        spans[kind] = max(spans[kind], abs(int(value)))
    return {kind: span + 1 for kind, span in spans.items()}


def write_copies(source: Path, target: Path, times: int) -> None:
    """Each site's Posts, Users and Votes `times` over, ids shifted so no copy collides."""
    for folder in sorted(p.parent for p in source.glob("*/Posts.xml")):
        out = target / folder.name
        out.mkdir(parents=True)
        spans = _max_ids(folder)
        for name in COPIED:
            if not (folder / name).is_file():
                continue
            root = name.removesuffix(".xml").lower()
            with open(out / name, "w", encoding="utf-8") as handle:
                handle.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n')
                for copy in range(times):
                    for row in _rows(folder / name):
                        shifted = dict(row)
                        for column, kind in ID_COLUMNS[name].items():
                            value = shifted.get(column, "")
                            if value.isdigit():
                                shifted[column] = str(int(value) + copy * spans[kind])
                        attributes = " ".join(f"{k}={quoteattr(v)}" for k, v in shifted.items())
                        handle.write(f"  <row {attributes} />\n")
                handle.write(f"</{root}>\n")


def run_import(dumps: Path, workdir: Path) -> dict:
    """One import into a fresh database and index; seconds, rows and the child's peak memory."""
    database = workdir / "forum.db"
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": f"sqlite:///{database}",
        "FORUM_SEARCH_PATH": str(workdir / "search-index"),
        "FORUM_SEARCH_BACKEND": "whoosh",
        "FORUM_RATELIMIT_ENABLED": "false",
    }
    subprocess.run([*FLASK, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
    log = open(workdir / "import.log", "w")  # noqa: SIM115 - closed below, after the child ends
    started = time.perf_counter()
    child = subprocess.Popen(
        [*FLASK, "import", "stackexchange", str(dumps)], env=env, stdout=log, stderr=log, cwd=ROOT
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    output = (workdir / "import.log").read_text()
    if child.returncode != 0:
        raise SystemExit(f"import failed ({child.returncode}):\n{output[-2000:]}")
    with sqlite3.connect(database) as conn:
        posts = conn.execute("SELECT count(*) FROM imported_posts").fetchone()[0]
    check = subprocess.run([*FLASK, "search", "check"], env=env, capture_output=True, text=True,
                           cwd=ROOT)  # fmt: skip
    summary = re.search(r"Done in .*", output)
    return {
        "seconds": seconds,
        "posts": posts,
        "peak_mb": usage.ru_maxrss / 1024,
        "check": "no drift" if check.returncode == 0 else check.stdout.strip().replace("\n", "; "),
        "summary": summary.group(0) if summary else "",
    }


def measure(label: str, dumps: Path, rounds: int) -> dict:
    runs = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(run_import(dumps, Path(tmp)))
    figures = {key: statistics.median(r[key] for r in runs) for key in ("seconds", "peak_mb")}
    figures["posts"] = runs[0]["posts"]
    print(
        f"{label}: {figures['posts']} posts in {figures['seconds']:.1f} s "
        f"({figures['posts'] / figures['seconds']:.0f} posts/s), peak memory "
        f"{figures['peak_mb']:.0f} MB; search check: {runs[-1]['check']}"
    )
    print(f"    {runs[-1]['summary']}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="runs per size (medians printed)")
    parser.add_argument("--times", type=int, default=5, help="how many times bigger the copy is")
    args = parser.parse_args()
    if not any(DATA.glob("*/Posts.xml")):
        print(f"Stack Exchange data not found at {DATA}: nothing to measure (skipped).")
        return
    print(f"command: {' '.join(sys.argv)}  (rounds: {args.rounds})")
    real = measure("real data (1x)", DATA, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        bigger = Path(tmp) / "dumps"
        write_copies(DATA, bigger, args.times)
        big = measure(f"synthetic {args.times}x", bigger, args.rounds)
    growth = 100 * (big["peak_mb"] - real["peak_mb"]) / real["peak_mb"]
    verdict = "within" if growth < 10 else "over"
    print(f"peak memory {real['peak_mb']:.0f} MB -> {big['peak_mb']:.0f} MB for {args.times}x the "
          f"input: {growth:+.1f}% ({verdict} the 10% budget); "
          f"1x import {real['seconds']:.1f} s (budget 60 s)")  # fmt: skip


if __name__ == "__main__":
    main()
