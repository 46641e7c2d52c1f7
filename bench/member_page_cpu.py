"""A signed-in member's prompt page in the process: CPU time and statements per request.

    .venv/bin/python bench/member_page_cpu.py [--requests 300] [--runs 7]

The prompt of bench/prompt_page.py (50 rated contributions of real text), its member signed in
through the login form of Flask's test client, the page asked `--requests` times per run; prints
the median CPU time per request of the runs and the statements each request ran. No server and
no other process: a figure to compare two versions of the code on a busy machine, where the
served rates of bench/prompt_page.py swing with the load of others.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.prompt_page import MEMBER, PASSWORD, build_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from sqlalchemy import event

    from forum import create_app
    from forum.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.db"
        prompt_id, slug = build_database(database)
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{database}",
                "RATELIMIT_ENABLED": False,
                "SEARCH_PATH": str(Path(tmp) / "search-index"),
            }
        )
        browser = app.test_client()
        form = browser.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        fields = {"username": MEMBER, "password": PASSWORD, "csrf_token": csrf}
        browser.post("/login", data=fields)
        page = f"/prompts/{prompt_id}/{slug}"
        if MEMBER not in browser.get(page).get_data(as_text=True):
            raise RuntimeError("the login did not take: the page does not name the member")
        statements = [0]
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def _count(*_args):
            statements[0] += 1

        for _ in range(50):
            browser.get(page)
        runs = []
        for _ in range(args.runs):
            statements[0] = 0
            began = time.process_time()
            for _ in range(args.requests):
                browser.get(page)
            runs.append((time.process_time() - began) / args.requests * 1e3)
        print(
            f"signed-in prompt page (50 contributions): {statistics.median(runs):.2f} ms CPU per"
            f" request (median of {args.runs} x {args.requests}),"
            f" {statements[0] / args.requests:.1f} statements"
        )


if __name__ == "__main__":
    main()
