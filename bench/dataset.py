"""The Stack Exchange dumps beside the project, imported by the product's importer, for benchmarks.

    .venv/bin/python bench/dataset.py [--contributions N]

`load()` runs `flask --app forum import stackexchange ../shared/data/stackexchange` (every site, one
topic each, then the search index brought up to date) in this process, on the current app. What
the product does not do is here: exiting cleanly when the dumps are absent (`require_data`), an app
on a fresh SQLite file (`create_app_for`), copying the imported answers in SQL for scale runs
(`replicate_contributions`), and reading back, from the imported_posts rows, which prompt or
contribution each original post became (`posts`), for judgments keyed by post id. The data is
CC BY-SA and stays beside the project: nothing here copies it into the repository.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DATA  # noqa: E402


def require_data(data: Path = DATA) -> None:
    """Exit cleanly (status 0) with a message when the dumps are not beside the project."""
    if not (data.is_dir() and any(data.glob("*/Posts.xml"))):
        print(f"Stack Exchange data not found at {data}: nothing to measure (skipped).")
        raise SystemExit(0)


@dataclass
class Loaded:
    sites: int
    prompts: int
    contributions: int
    seconds: float
    output: str  # what the import command printed

    def line(self, start: str) -> str:
        """The command's line that starts with `start` ("Search:", "Done in"), or ""."""
        return next((x for x in self.output.splitlines() if x.startswith(start)), "")


def load(data: Path = DATA) -> Loaded:
    """Import every site in `data` (one topic each) with `flask --app forum import stackexchange`,
    run in this process on the current app, index included; then count what it brought."""
    from flask import current_app
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.models import ImportedPost

    started = time.perf_counter()
    result = current_app.test_cli_runner().invoke(args=["import", "stackexchange", str(data)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code != 0:
        raise SystemExit(f"import stackexchange failed ({result.exit_code}):\n{result.output}")
    seconds = time.perf_counter() - started
    kinds = dict(db.session.execute(
        select(ImportedPost.kind, func.count(ImportedPost.id)).group_by(ImportedPost.kind)
    ).all())  # fmt: skip
    sites = db.session.scalar(select(func.count(func.distinct(ImportedPost.site))))
    db.session.remove()
    return Loaded(sites, kinds.get("prompt", 0), kinds.get("contribution", 0), seconds,
                  result.output)  # fmt: skip


def replicate_contributions(target: int) -> int:
    """Copy the contributions under new ids (same prompt, text and ratings) until there are
    `target`, and recount the prompts; returns how many were added. The copies have no
    imported_posts row and are not in the search index until it is rebuilt (on PostgreSQL the
    triggers write their vectors)."""
    from sqlalchemy import func, insert, select, update

    from forum.extensions import db
    from forum.models import Contribution, Prompt

    table = Contribution.__table__
    columns = [c for c in table.c if c.name != "id"]
    added = 0
    with db.engine.begin() as conn:
        originals = count = conn.scalar(select(func.count(table.c.id))) or 0
        last = conn.scalar(select(func.max(table.c.id))) or 0
        while 0 < count < target:
            chunk = min(target - count, originals)
            source = select(*columns).where(table.c.id <= last).order_by(table.c.id).limit(chunk)
            conn.execute(insert(table).from_select([c.name for c in columns], source))
            count += chunk
            added += chunk
        counted = (
            select(func.count(table.c.id))
            .where(table.c.prompt_id == Prompt.__table__.c.id, table.c.status == "visible")
            .scalar_subquery()
        )
        if added:
            conn.execute(update(Prompt.__table__).values(contribution_count=counted))
    return added


@dataclass
class Posts:
    """Original posts and the rows they became, from the importer's imported_posts rows."""

    by_post: dict[tuple[str, int], str]  # (site, post id) -> search key ("p:12", "c:34")
    by_key: dict[str, tuple[str, int]]  # search key -> (site, post id)
    question_of: dict[tuple[str, int], int]  # (site, answer id) -> its question's post id
    answers: dict[tuple[str, int], list[int]]  # (site, question id) -> its answers' post ids
    topics: dict[str, str]  # site -> the slug of the topic its questions went to

    def key(self, site: str, post_id: int) -> str | None:
        return self.by_post.get((site, post_id))


def posts() -> Posts:
    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import Contribution, ImportedPost, Prompt, Topic

    by_post, question_by_prompt, topics = {}, {}, {}
    for site, post_id, prompt_id, topic in db.session.execute(
        select(ImportedPost.site, ImportedPost.original_id, Prompt.id, Topic.slug)
        .join(Prompt, Prompt.id == ImportedPost.prompt_id)
        .join(Topic, Topic.id == Prompt.topic_id)
        .where(ImportedPost.kind == "prompt")
    ):
        by_post[(site, post_id)] = f"p:{prompt_id}"
        question_by_prompt[prompt_id] = post_id
        topics[site] = topic
    question_of, answers = {}, {}
    for site, post_id, contribution_id, prompt_id in db.session.execute(
        select(ImportedPost.site, ImportedPost.original_id, Contribution.id, Contribution.prompt_id)
        .join(Contribution, Contribution.id == ImportedPost.contribution_id)
        .order_by(Contribution.id)
    ):
        by_post[(site, post_id)] = f"c:{contribution_id}"
        question = question_of[(site, post_id)] = question_by_prompt[prompt_id]
        answers.setdefault((site, question), []).append(post_id)
    return Posts(by_post, {k: p for p, k in by_post.items()}, question_of, answers, topics)


def create_app_for(database: Path, index: Path):
    """An app on a fresh SQLite file (the models' schema, which the migrations are tested to
    match) and a Whoosh folder, for benchmarks."""
    from forum import create_app
    from forum.extensions import db

    app = create_app(
        {"DATABASE_URL": f"sqlite:///{database}", "SEARCH_PATH": str(index),
         "SEARCH_BACKEND": "whoosh", "RATELIMIT_ENABLED": False}
    )  # fmt: skip
    with app.app_context():
        db.create_all()
    return app


def report(loaded: Loaded) -> str:
    return (
        f"imported {loaded.prompts:,} prompts and {loaded.contributions:,} contributions from "
        f"{loaded.sites} site(s) in {loaded.seconds:.1f} s; the command: "
        f"{loaded.line('Search:')} {loaded.line('Done in')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=0,
                        help="copy contributions up to this many (default: none)")  # fmt: skip
    args = parser.parse_args()
    require_data()
    with tempfile.TemporaryDirectory(prefix="dataset-") as tmp:
        app = create_app_for(Path(tmp) / "bench.db", Path(tmp) / "search-index")
        with app.app_context():
            loaded = load()
            print(loaded.output.rstrip())
            print(report(loaded))
            if args.contributions:
                started = time.perf_counter()
                added = replicate_contributions(args.contributions)
                print(f"copied {added:,} contributions in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
