"""Prompt page with 50 contributions, HTML and JSON, under gunicorn (2 sync workers), next to a
bare Flask endpoint measured in the same run.

    .venv/bin/python bench/prompt_page.py [--signed-in] [--seconds 8] [--rounds 3] [--concurrency 8]
    .venv/bin/python bench/prompt_page.py --profile 3000

Prints requests per second (median of the rounds), p50 / p99 latency, errors, and each page's
rate as a ratio of the bare endpoint's (docs/architecture.md, "Budgets": at least 0.30 for
readers who are not signed in, 0.20 for a signed-in member). With --signed-in, the same pages for
a member who rated most of the contributions: the HTML page with the session cookie of a login
through the form, the JSON listing with an API token. With --profile N, no server: a cached
anonymous request (page cache on) called N times in the process, its CPU time per request next
to a bare Flask app's, answered by the reader layer (forum/reader_pages.py) and through Flask
as the first reader at an address is, and where Flask's time goes (cProfile, cumulative shares).
"""

from __future__ import annotations

import argparse
import base64
import http.cookiejar
import json
import re
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Server, load, median, real_answers  # noqa: E402

CONTRIBUTIONS = 50
# The signed-in member: rater0 rated 44 of the 50 contributions (see build_database).
MEMBER = "rater0"
PASSWORD = "x" * 12


def build_database(path: Path) -> tuple[int, str]:
    """A prompt with 50 rated contributions of real text, made through the services."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.services import accounts, contributions, prompts, ratings, topics

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "RATELIMIT_ENABLED": False,
            # Beside the database, as the server's: never the instance folder of the checkout.
            "SEARCH_PATH": str(path.parent / "search-index"),
        }
    )
    with app.app_context():
        upgrade()
        editor = accounts.register("editor", "editor@example.org", PASSWORD, role="moderator")
        topics.create_topic(editor, "Bench", "", "bench")
        prompt = prompts.create_prompt(
            editor,
            title="Dealing with a resistant client: how do you unlock their motivation?",
            intro="What worked for you?",
            topic="bench",
            key_points=[{"title": "Cultivate trust", "body": ""}],
            tags=["motivation"],
        )
        raters = [accounts.register(f"rater{i}", f"r{i}@example.org", PASSWORD) for i in range(8)]
        for n, body in enumerate(real_answers(CONTRIBUTIONS)):
            author = accounts.register(f"coach{n}", f"c{n}@example.org", PASSWORD)
            contribution = contributions.create_contribution(author, prompt, body)
            for k, rater in enumerate(raters[: n % 8]):
                ratings.rate(rater, contribution, 1 + (n + k) % 5)
        return prompt.id, prompt.slug


def session_cookie(base: str, page: str) -> str:
    """The Cookie header of a member who logged in through the login form and then opened
    `page` once (which shows the welcome message and settles the session)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login") as response:
        form = response.read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    fields = {"username": MEMBER, "password": PASSWORD, "csrf_token": csrf}
    with opener.open(f"{base}/login", urllib.parse.urlencode(fields).encode()) as response:
        response.read()
    with opener.open(page) as response:
        if MEMBER not in response.read().decode():
            raise RuntimeError("the login did not take: the page does not name the member")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def api_token(base: str) -> str:
    """A new API token of the member, made with HTTP Basic credentials."""
    basic = base64.b64encode(f"{MEMBER}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/tokens",
        data=b"{}",
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["token"]


# Where a cached anonymous request goes: (label, part of the file name, function name pattern;
# the largest entry that matches). Shares are cumulative, so nested entries overlap.
PROFILE_PARTS = (
    ("the version query (versions.version_of)", "services/versions.py", "version_of"),
    ("arguments (webargs + marshmallow)", "webargs/core.py", "parse"),
    ("before-request hooks", "flask/app.py", "preprocess_request"),
    ("  CSRF check (Flask-WTF)", "flask_wtf/csrf.py", "csrf_protect"),
    ("  size and NUL checks", "forum/security.py", "_refuse_(malformed_requests|nul_characters)"),
    ("who is asking (viewer / api_user)", "forum/", "viewer|api_user"),
    ("session opened (cookie)", "", "open_session"),
    ("routing (match the URL)", "flask/ctx.py", "match_request"),
    ("request context made (URL adapter)", "flask/ctx.py", "__init__"),
    ("cached body answered (page_cache.respond)", "forum/page_cache.py", "respond"),
    ("after-request hooks and session saved", "flask/app.py", "process_response"),
    ("  security headers", "forum/security.py", "_security_headers"),
    ("  session saved", "", "save_session"),
    ("contexts popped (teardown)", "flask/ctx.py", "pop"),
    ("WSGI response (headers list, body)", "werkzeug/wrappers/response.py", "__call__"),
    ("Flask asks if hooks are coroutines", "", "ensure_sync"),
)


def profile(requests: int) -> None:
    """CPU time per cached anonymous request, in the process, and where it goes."""
    import cProfile
    import pstats
    import time

    from flask import Flask
    from werkzeug.test import EnvironBuilder

    from forum import create_app

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.db"
        prompt_id, slug = build_database(database)
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{database}",
                "RATELIMIT_ENABLED": False,
                "SEARCH_PATH": str(Path(tmp) / "search-index"),
                "CACHE_TYPE": "SimpleCache",
            }
        )
        bare = Flask("bare")
        bare.get("/")(lambda: "ok")
        # The reader layer (forum/reader_pages.py) answers a remembered address; behind it,
        # the application answers as it does for the first reader at an address.
        flask_only = app.wsgi_app.wsgi_app
        html = (f"/prompts/{prompt_id}/{slug}", "")
        listing = (f"/api/v1/prompts/{prompt_id}/contributions", f"per_page={CONTRIBUTIONS}")
        targets = {
            "bare Flask": (bare, "/", ""),
            "prompt page HTML": (app, *html),
            "prompt page JSON": (app, *listing),
            "HTML through Flask": (flask_only, *html),
            "JSON through Flask": (flask_only, *listing),
        }

        def start_response(status, headers, exc_info=None):
            del headers, exc_info
            assert status.startswith("200"), status

        def call(wsgi, environ):
            body = wsgi(dict(environ), start_response)
            for _chunk in body:
                pass
            if hasattr(body, "close"):
                body.close()

        print(f"in the process, page cache on; CPU us per request, median of 5 x {requests}")
        for name, (wsgi, path, query) in targets.items():
            environ = EnvironBuilder(path=path, query_string=query).get_environ()
            for _ in range(200):
                call(wsgi, environ)
            runs = []
            for _ in range(5):
                began = time.process_time()
                for _ in range(requests):
                    call(wsgi, environ)
                runs.append((time.process_time() - began) / requests * 1e6)
            print(f"{name:<20}{median(runs):>9.0f} us")
            if wsgi is bare or wsgi is app:
                continue
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(requests):
                call(wsgi, environ)
            profiler.disable()
            stats = pstats.Stats(profiler).stats
            total = max(entry[3] for entry in stats.values())
            for label, file_part, function in PROFILE_PARTS:
                spent = max(
                    (
                        entry[3]
                        for (file, _line, func), entry in stats.items()
                        if file_part in file and re.fullmatch(function, func)
                    ),
                    default=0,
                )
                if spent:
                    print(f"    {label:<44}{100 * spent / total:>5.0f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--signed-in",
        action="store_true",
        help="also a signed-in member's HTML page (session cookie) and JSON (API token)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="no server: profile N cached anonymous requests in the process",
    )
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.db"
        prompt_id, slug = build_database(database)
        env = {
            "FORUM_DATABASE_URL": f"sqlite:///{database}",
            "FORUM_RATELIMIT_ENABLED": "false",
            "FORUM_SEARCH_PATH": str(Path(tmp) / "search-index"),
        }
        bare = Server("bench.bare:app")
        forum = Server("wsgi:app", env=env)
        html = f"{forum.url}/prompts/{prompt_id}/{slug}"
        api = f"{forum.url}/api/v1/prompts/{prompt_id}/contributions?per_page={CONTRIBUTIONS}"
        # name -> (url, headers)
        targets: dict[str, tuple[str, dict]] = {
            "bare Flask": (bare.url + "/", {}),
            "prompt page HTML": (html, {}),
            "prompt page JSON": (api, {}),
        }
        results: dict[str, list[dict]] = {}
        try:
            if args.signed_in:
                targets["signed-in HTML"] = (html, {"Cookie": session_cookie(forum.url, html)})
                bearer = {"Authorization": f"Bearer {api_token(forum.url)}"}
                targets["signed-in JSON"] = (api, bearer)
            results = {name: [] for name in targets}
            for url, headers in targets.values():  # warm up every worker
                load(url, 1.0, args.concurrency, headers)
            for _ in range(args.rounds):
                for name, (url, headers) in targets.items():
                    results[name].append(load(url, args.seconds, args.concurrency, headers))
        finally:
            bare.stop()
            forum.stop()

    base = median(r["rps"] for r in results["bare Flask"])
    print(f"gunicorn, 2 sync workers; {args.concurrency} clients; {args.rounds} rounds of "
          f"{args.seconds:g} s; medians")  # fmt: skip
    print(f"{'endpoint':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}")
    for name, rounds in results.items():
        rps = median(r["rps"] for r in rounds)
        print(
            f"{name:<20}{rps:>9.1f}{median(r['p50_ms'] for r in rounds):>9.1f}"
            f"{median(r['p99_ms'] for r in rounds):>9.1f}{sum(r['errors'] for r in rounds):>8}"
            f"{rps / base:>8.2f}"
        )


if __name__ == "__main__":
    main()
