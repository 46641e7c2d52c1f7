"""Stack Exchange dumps into a Commonplace database, for benchmarks (not the product importer).

    .venv/bin/python bench/se_data.py [--sites a,b] [--contributions N]

Streams Posts.xml (and Users.xml / Votes.xml where a site has them) with iterparse, clearing every
element, and writes rows with bulk Core INSERTs in batches inside one transaction:

- one topic per site (slug from the site name: ai.meta.stackexchange.com -> ai-meta);
- questions (PostTypeId 1) -> prompts: title, the body as Markdown-ish text (intro) and as
  sanitized HTML (intro_html), tags from `<a><b>` or `|a|b|`;
- answers (PostTypeId 2) -> contributions, with the author's name snapshot (OwnerDisplayName, or
  DisplayName from Users.xml) and a rating histogram: up-votes as 5-star and down-votes as 1-star
  ratings (Votes.xml VoteTypeId 2 / 3 where the site has it, else Score as net 5-star or 1-star
  ratings), with the usefulness score of forum.ranking;
- other PostTypeIds, answers whose question is missing, and votes on missing posts are skipped.

A side table `se_posts` maps (site, original post id) to the row it became, so judgments keyed by
site and post id survive reloads. The data is CC BY-SA and stays beside the project: nothing here
copies it into the repository, and every entry point exits with a message when it is absent.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DATA  # noqa: E402
from forum.importers import stackexchange  # noqa: E402
from forum.importers.stackexchange import html_to_markdown, parse_tags  # noqa: E402

BATCH = 1000
LIMIT_TITLE = 200
LIMIT_INTRO = 10_000
LIMIT_BODY = 20_000
LIMIT_TAGS = 10
SEEN_SITE_SUFFIX = ".stackexchange.com"


def data_available(data: Path = DATA) -> bool:
    return data.is_dir() and any(data.glob("*/Posts.xml"))


def require_data(data: Path = DATA) -> None:
    """Exit cleanly (status 0) with a message when the dumps are not beside the project."""
    if not data_available(data):
        print(f"Stack Exchange data not found at {data}: nothing to measure (skipped).")
        raise SystemExit(0)


def site_names(data: Path = DATA) -> list[str]:
    return sorted(p.parent.name for p in data.glob("*/Posts.xml"))


def site_slug(site: str) -> str:
    """matheducators.stackexchange.com -> matheducators; ai.meta.stackexchange.com -> ai-meta."""
    name = site.removesuffix(SEEN_SITE_SUFFIX).removesuffix(".com")
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "site"


def site_title(site: str) -> str:
    words = site_slug(site).replace("-", " ").split()
    name = " ".join(w.upper() if len(w) <= 2 else w.capitalize() for w in words)
    return f"{name} (Stack Exchange)"


# -- parsing ------------------------------------------------------------------------------------
def rows(path: Path) -> Iterator[dict[str, str]]:
    """The attributes of every <row> of a dump file, streamed (the importer's reader)."""
    return stackexchange.rows(path)


def parse_date(raw: str | None) -> datetime:
    return stackexchange.parse_date(raw) or datetime(2010, 1, 1, tzinfo=UTC)


def histogram(up: int, down: int) -> tuple[int, int, int, int, int]:
    return (max(down, 0), 0, 0, 0, max(up, 0))


def votes_by_post(path: Path) -> dict[int, list[int]]:
    """Up (VoteTypeId 2) and down (3) counts per post id; other vote types are ignored."""
    counts: dict[int, list[int]] = {}
    for row in rows(path):
        kind = row.get("VoteTypeId")
        if kind in ("2", "3") and row.get("PostId", "").lstrip("-").isdigit():
            pair = counts.setdefault(int(row["PostId"]), [0, 0])
            pair[0 if kind == "2" else 1] += 1
    return counts


def user_names(path: Path) -> dict[str, str]:
    return {row["Id"]: row.get("DisplayName", "") for row in rows(path) if "Id" in row}


def up_down(post: dict[str, str], votes: dict[int, list[int]] | None) -> tuple[int, int]:
    if votes is not None:
        up, down = votes.get(int(post["Id"]), (0, 0))
        return up, down
    score = int(post.get("Score") or 0)
    return (score, 0) if score >= 0 else (0, -score)


# -- loading ------------------------------------------------------------------------------------
@dataclass
class LoadStats:
    sites: int = 0
    prompts: int = 0
    contributions: int = 0
    tags: int = 0
    skipped: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def _se_posts_table():
    from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table

    metadata = MetaData()
    return Table(
        "se_posts",
        metadata,
        Column("site", String(80), primary_key=True),
        Column("post_id", Integer, primary_key=True),
        Column("kind", String(1)),  # "p" prompt or "c" contribution
        Column("row_id", Integer),
        Column("question_id", Integer),  # the question's post id (its own, for a question)
        Column("score", Integer),
        Column("accepted", Boolean),
        Index("ix_se_posts_row", "kind", "row_id"),
    )


SE_POSTS = _se_posts_table()


class _Batches:
    """Rows per table, flushed with one executemany INSERT per table every BATCH rows."""

    def __init__(self, conn, order):
        self.conn = conn
        self.order = order  # tables in foreign-key order
        self.pending = {t.name: [] for t in order}

    def add(self, table, row: dict) -> None:
        self.pending[table.name].append(row)
        if len(self.pending[table.name]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        from sqlalchemy import insert

        for table in self.order:
            if self.pending[table.name]:
                self.conn.execute(insert(table), self.pending[table.name])
                self.pending[table.name] = []


def load(sites: list[str] | None = None, data: Path = DATA) -> LoadStats:
    """Load these sites (default: every site in `data`) into the app's database, inside the
    current app context, in one transaction. Call on an empty, migrated database."""
    from sqlalchemy import func, insert, select

    from forum.extensions import db
    from forum.models import Contribution, Prompt, Tag, Topic
    from forum.models.prompt import prompt_tags
    from forum.ranking import usefulness_score, wilson_lower_bound
    from forum.rendering import normalize_tag, sanitize_html, slugify

    started = time.perf_counter()
    stats = LoadStats()
    prompts_t, contributions_t = Prompt.__table__, Contribution.__table__
    SE_POSTS.create(db.engine, checkfirst=True)
    with db.engine.begin() as conn:
        tag_ids = dict(conn.execute(select(Tag.name, Tag.id)).all())
        next_tag = (conn.scalar(select(func.max(Tag.id))) or 0) + 1
        next_prompt = (conn.scalar(select(func.max(Prompt.id))) or 0) + 1
        next_topic = (conn.scalar(select(func.max(Topic.id))) or 0) + 1
        batches = _Batches(conn, [Tag.__table__, prompts_t, prompt_tags, contributions_t, SE_POSTS])
        for site in sites or site_names(data):
            folder = data / site
            posts = folder / "Posts.xml"
            if not posts.is_file():
                stats.skipped["site without Posts.xml"] += 1
                continue
            stats.sites += 1
            users, votes_file = folder / "Users.xml", folder / "Votes.xml"
            names = user_names(users) if users.is_file() else {}
            votes = votes_by_post(votes_file) if votes_file.is_file() else None
            topic_id, next_topic = next_topic, next_topic + 1
            conn.execute(
                insert(Topic.__table__).values(
                    id=topic_id,
                    slug=site_slug(site),
                    name=site_title(site)[:80],
                    description=f"Questions and answers from {site} (CC BY-SA).",
                    created_at=datetime.now(UTC),
                )
            )

            def author(post: dict[str, str], names=names) -> str:
                name = post.get("OwnerDisplayName") or names.get(post.get("OwnerUserId", ""), "")
                return name[:60]

            # Pass 1: questions. Answers come in pass 2, so an answer listed before its question
            # still finds it, and one whose question is missing is skipped.
            questions: dict[int, tuple[int, str | None]] = {}
            for post in rows(posts):
                kind = post.get("PostTypeId")
                if kind != "1":
                    if kind != "2":
                        stats.skipped[f"PostTypeId {kind}"] += 1
                    continue
                prompt_id, next_prompt = next_prompt, next_prompt + 1
                questions[int(post["Id"])] = (prompt_id, post.get("AcceptedAnswerId"))
                title = html.unescape(post.get("Title") or "").strip()[:LIMIT_TITLE] or "Untitled"
                body = post.get("Body") or ""
                created = parse_date(post.get("CreationDate"))
                up, down = up_down(post, votes)
                batches.add(prompts_t, {
                    "id": prompt_id, "slug": slugify(title), "title": title,
                    "intro": html_to_markdown(body)[:LIMIT_INTRO],
                    "intro_html": sanitize_html(body), "topic_id": topic_id, "author_id": None,
                    "author_name": author(post), "status": "open", "contribution_count": 0,
                    "helpful_yes": up, "helpful_no": down,
                    "helpful_score": wilson_lower_bound(up, down), "created_at": created,
                    "updated_at": created,
                    "last_activity_at": parse_date(post.get("LastActivityDate") or
                                                   post.get("CreationDate")),
                })  # fmt: skip
                seen: set[str] = set()
                for raw in parse_tags(post.get("Tags")):
                    name = normalize_tag(raw)
                    if name is None or name in seen or len(seen) >= LIMIT_TAGS:
                        continue
                    seen.add(name)
                    if name not in tag_ids:
                        tag_ids[name], next_tag = next_tag, next_tag + 1
                        batches.add(Tag.__table__, {"id": tag_ids[name], "name": name})
                        stats.tags += 1
                    batches.add(prompt_tags, {"prompt_id": prompt_id, "tag_id": tag_ids[name]})
                batches.add(SE_POSTS, {
                    "site": site, "post_id": int(post["Id"]), "kind": "p", "row_id": prompt_id,
                    "question_id": int(post["Id"]), "score": int(post.get("Score") or 0),
                    "accepted": False,
                })  # fmt: skip
                stats.prompts += 1
            batches.flush()
            # Pass 2: answers, inserted with their own ids taken from the table afterwards.
            contribution_rows, se_rows = [], []
            for post in rows(posts):
                if post.get("PostTypeId") != "2":
                    continue
                parent = questions.get(int(post.get("ParentId") or 0))
                if parent is None:
                    stats.skipped["answer without its question"] += 1
                    continue
                prompt_id, accepted_id = parent
                body = post.get("Body") or ""
                counts = histogram(*up_down(post, votes))
                created = parse_date(post.get("CreationDate"))
                contribution_rows.append({
                    "prompt_id": prompt_id, "key_point_id": None, "author_id": None,
                    "author_name": author(post), "body": html_to_markdown(body)[:LIMIT_BODY],
                    "body_html": sanitize_html(body), "status": "visible", "featured": False,
                    "hidden_reason": "", "n1": counts[0], "n2": 0, "n3": 0, "n4": 0,
                    "n5": counts[4], "rating_count": sum(counts),
                    "rating_sum": sum((k + 1) * n for k, n in enumerate(counts)),
                    "score": usefulness_score(counts), "created_at": created,
                    "edited_at": parse_date(post["LastEditDate"])
                    if post.get("LastEditDate") else None,
                })  # fmt: skip
                se_rows.append({
                    "site": site, "post_id": int(post["Id"]), "kind": "c",
                    "question_id": int(post["ParentId"]), "score": int(post.get("Score") or 0),
                    "accepted": post["Id"] == accepted_id,
                })  # fmt: skip
                if len(contribution_rows) >= BATCH:
                    _insert_contributions(conn, contribution_rows, se_rows)
                    stats.contributions += len(contribution_rows)
                    contribution_rows, se_rows = [], []
            if contribution_rows:
                _insert_contributions(conn, contribution_rows, se_rows)
                stats.contributions += len(contribution_rows)
        batches.flush()
        _recount_prompts(conn)
    stats.seconds = time.perf_counter() - started
    return stats


def _insert_contributions(conn, contribution_rows: list[dict], se_rows: list[dict]) -> None:
    """Insert a batch, then learn its ids (a fresh table hands out max(id)+1, +2, ...)."""
    from sqlalchemy import func, insert, select

    from forum.models import Contribution

    table = Contribution.__table__
    first = (conn.scalar(select(func.max(table.c.id))) or 0) + 1
    for offset, row in enumerate(contribution_rows):
        row["id"] = first + offset
    conn.execute(insert(table), contribution_rows)
    for row, se_row in zip(contribution_rows, se_rows, strict=True):
        se_row["row_id"] = row["id"]
    conn.execute(insert(SE_POSTS), se_rows)


def _recount_prompts(conn) -> None:
    from sqlalchemy import func, select, update

    from forum.models import Contribution, Prompt

    c = Contribution.__table__
    counted = (
        select(func.count(c.c.id))
        .where(c.c.prompt_id == Prompt.__table__.c.id, c.c.status == "visible")
        .scalar_subquery()
    )
    conn.execute(update(Prompt.__table__).values(contribution_count=counted))


def replicate_contributions(target: int) -> int:
    """Copy the loaded contributions under new ids (same prompt, text and ratings) until there
    are `target`; returns how many were added. Replicas are not in se_posts."""
    from sqlalchemy import func, insert, select

    from forum.extensions import db
    from forum.models import Contribution

    table = Contribution.__table__
    columns = [c for c in table.c if c.name != "id"]
    added = 0
    with db.engine.begin() as conn:
        originals = count = conn.scalar(select(func.count(table.c.id))) or 0
        last = conn.scalar(select(func.max(table.c.id))) or 0
        if count == 0:
            return 0
        while count < target:
            chunk = min(target - count, originals)
            source = select(*columns).where(table.c.id <= last).order_by(table.c.id).limit(chunk)
            conn.execute(insert(table).from_select([c.name for c in columns], source))
            count += chunk
            added += chunk
        _recount_prompts(conn)
    return added


@dataclass
class Mapping:
    """(site, original post id) <-> (kind, row id), with what judgments need."""

    by_post: dict[tuple[str, int], tuple[str, int]]
    by_row: dict[tuple[str, int], tuple[str, int]]
    answers: dict[tuple[str, int], list[tuple[int, int, bool]]]  # question -> (answer, score, acc)
    question_of: dict[tuple[str, int], int]  # answer -> its question's post id

    def key(self, site: str, post_id: int) -> str | None:
        """The search key ("p:12" / "c:34") of an original post, or None if not loaded."""
        found = self.by_post.get((site, post_id))
        return f"{found[0]}:{found[1]}" if found else None


def mapping() -> Mapping:
    from sqlalchemy import select

    from forum.extensions import db

    by_post, by_row, answers, question_of = {}, {}, {}, {}
    with db.engine.connect() as conn:
        for site, post_id, kind, row_id, question_id, score, accepted in conn.execute(
            select(SE_POSTS)
        ):
            by_post[(site, post_id)] = (kind, row_id)
            by_row[(kind, row_id)] = (site, post_id)
            if kind == "c":
                answers.setdefault((site, question_id), []).append((post_id, score, accepted))
                question_of[(site, post_id)] = question_id
    return Mapping(by_post, by_row, answers, question_of)


def create_app_for(database: Path, index: Path):
    """An app on a fresh SQLite file (the models' schema, which the migrations are tested to
    match) and a Whoosh folder, for benchmarks."""
    from forum import create_app
    from forum.extensions import db

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SEARCH_PATH": str(index),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", help="comma-separated site folders (default: all)")
    parser.add_argument("--contributions", type=int, default=0,
                        help="replicate contributions up to this many (default: none)")  # fmt: skip
    args = parser.parse_args()
    require_data()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app_for(Path(tmp) / "se.db", Path(tmp) / "index")
        with app.app_context():
            stats = load(args.sites.split(",") if args.sites else None)
            print(f"loaded {stats.sites} sites: {stats.prompts} prompts, {stats.contributions} "
                  f"contributions, {stats.tags} tags in {stats.seconds:.1f} s")  # fmt: skip
            for reason, n in sorted(stats.skipped.items()):
                print(f"  skipped {n}: {reason}")
            if args.contributions:
                started = time.perf_counter()
                added = replicate_contributions(args.contributions)
                print(f"replicated {added} contributions in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
