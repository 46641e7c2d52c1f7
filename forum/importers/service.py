"""Importing a Stack Exchange dump: questions become prompts, answers contributions.

One transaction: rows are written with bulk INSERTs a batch at a time while the dump streams in,
and committed once at the end; anything wrong (a malformed or truncated file) rolls it all back,
so the database is as it was. Each imported row keeps its source (site, original post id,
author): a second run of the same dump skips what is already there. The up and down votes of an
answer become imported ratings (5 and 1), kept with its source so that `recount` keeps them.
Search documents are written through the outbox in the same transaction and indexed after
commit.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select

from forum.extensions import db
from forum.importers import records
from forum.importers.stackexchange import (
    ANSWER,
    OTHER_POST_TYPES,
    QUESTION,
    DumpError,
    author_name,
    html_to_markdown,
    number,
    optional_number,
    parse_date,
    parse_tags,
    rows,
    user_names,
    votes_by_post,
)
from forum.models import Contribution, ImportedPost, Prompt, Tag, Topic
from forum.models.types import utcnow
from forum.ranking import UNRATED_SCORE, usefulness_score, wilson_lower_bound
from forum.rendering import sanitize_html, slugify

BATCH = 500
NOT_IMPORTED = ("Comments.xml", "PostLinks.xml", "PostHistory.xml", "Badges.xml", "Tags.xml")


@dataclass
class Summary:
    site: str
    topic: str
    topic_created: bool = False
    prompts: int = 0
    contributions: int = 0
    tags: int = 0
    up_votes: int = 0
    down_votes: int = 0
    votes_from: str = "Votes.xml"
    skipped: Counter = field(default_factory=Counter)
    not_imported: list[str] = field(default_factory=list)
    seconds: float = 0.0


def site_folders(folder: str | Path) -> list[Path]:
    """The dump folders in `folder`: itself if it holds Posts.xml, else its sub-folders that do."""
    folder = Path(folder)
    if (folder / "Posts.xml").is_file():
        return [folder]
    found = sorted(p.parent for p in folder.glob("*/Posts.xml"))
    if not found:
        raise DumpError(f"{folder} holds no Posts.xml: not a Stack Exchange dump folder")
    return found


def topic_for(site: str) -> str:
    """A topic slug for a site: ai.meta.stackexchange.com -> ai-meta."""
    name = site.removesuffix(".stackexchange.com").removesuffix(".com")
    return slugify(name)


def import_dumps(
    folders: list[Path],
    topic_slug: str | None = None,
    *,
    site: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Summary]:
    """Import dump folders (into `topic_slug`, or one topic per site), created when missing.
    One transaction for them all, committed once: an unreadable file leaves nothing behind."""
    summaries = []
    try:
        for folder in folders:
            name = site if site and len(folders) == 1 else folder.name
            summaries.append(_import_one(folder, topic_slug or topic_for(name), name, progress))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return summaries


def _import_one(folder: Path, topic_slug: str, site: str, progress) -> Summary:
    started = time.perf_counter()
    summary = Summary(site=site, topic=topic_slug)
    summary.not_imported = [name for name in NOT_IMPORTED if (folder / name).is_file()]
    names = user_names(folder / "Users.xml") if (folder / "Users.xml").is_file() else {}
    votes, total_votes = None, 0
    if (folder / "Votes.xml").is_file():
        votes, total_votes = votes_by_post(folder / "Votes.xml")
    else:
        summary.votes_from = "Score"
    writer = _Writer(summary, names, votes)
    for post in rows(folder / "Posts.xml", progress):
        writer.add(post)
    writer.finish()
    if votes is not None:
        missing = sum(up + down for up, down in votes.values())
        summary.skipped["votes on posts not in Posts.xml"] = missing
        summary.skipped["votes on questions and other posts"] = (
            total_votes - summary.up_votes - summary.down_votes - missing
        )
    summary.seconds = time.perf_counter() - started
    return summary


class _Writer:
    """Rows of one import, buffered and written a batch at a time in the open transaction."""

    def __init__(self, summary: Summary, names: dict[int, str], votes: dict | None):
        self.summary, self.names, self.votes = summary, names, votes
        self.conn = db.session.connection()
        self.topic_id = self._topic(summary)
        self.tag_ids: dict[str, int] = dict(self.conn.execute(select(Tag.name, Tag.id)).all())
        # Original question id -> prompt id, for every question of the site imported so far.
        self.questions, self.answers = records.known(self.conn, summary.site)
        self.seen_questions = set(self.questions)
        self.prompt_rows: list[tuple[dict, list[str], dict]] = []
        self.answer_rows: list[tuple[int, dict, dict]] = []
        self.waiting: list[dict] = []  # answers read before their question
        self.touched: set[int] = set()  # existing prompts given new contributions
        self.new_prompts: set[int] = set()

    def _topic(self, summary: Summary) -> int:
        topic_id = self.conn.scalar(select(Topic.id).where(Topic.slug == summary.topic))
        if topic_id is None:
            summary.topic_created = True
            name = summary.topic.replace("-", " ").capitalize()[:80]
            topic_id = self.conn.scalar(
                insert(Topic).returning(Topic.id),
                {"slug": summary.topic, "name": name, "created_at": utcnow(),
                 "description": f"Questions and answers imported from {summary.site}."},
            )  # fmt: skip
        return topic_id

    def _up_down(self, post: dict, post_id: int) -> tuple[int, int]:
        if self.votes is not None:
            up, down = self.votes.pop(post_id, (0, 0))
            return up, down
        score = optional_number(post.get("Score")) or 0
        return (score, 0) if score >= 0 else (0, -score)

    def add(self, post: dict) -> None:
        kind = post.get("PostTypeId")
        post_id = number(post, "Id", "Posts.xml")
        if kind == QUESTION:
            self._question(post, post_id)
        elif kind == ANSWER:
            parent = optional_number(post.get("ParentId"))
            if parent in self.seen_questions:
                self._answer(post, post_id, parent)
            else:
                self.waiting.append(post)
        else:
            self.summary.skipped[OTHER_POST_TYPES.get(kind or "", f"PostTypeId {kind}")] += 1
            if self.votes is not None:
                self.votes.pop(post_id, None)

    def _question(self, post: dict, post_id: int) -> None:
        up, down = self._up_down(post, post_id)
        self.seen_questions.add(post_id)
        if post_id in self.questions:
            self.summary.skipped["already imported"] += 1
            return
        body = post.get("Body") or ""
        created = parse_date(post.get("CreationDate")) or utcnow()
        title = (post.get("Title") or "").strip()[:200] or f"Question {post_id}"
        author = author_name(post, self.names)
        row = {
            "slug": slugify(title), "title": title, "intro": html_to_markdown(body),
            "intro_html": sanitize_html(body), "topic_id": self.topic_id, "author_id": None,
            "author_name": author, "status": "open", "contribution_count": 0,
            "helpful_yes": 0, "helpful_no": 0, "helpful_score": wilson_lower_bound(0, 0),
            "version": 1, "created_at": created, "updated_at": created,
            "last_activity_at": parse_date(post.get("LastActivityDate")) or created,
        }  # fmt: skip
        source = records.source_row(post, self.summary.site, post_id, "prompt", author, up, down)
        self.prompt_rows.append((row, parse_tags(post.get("Tags")), source))
        if len(self.prompt_rows) >= BATCH:
            self._flush_prompts()

    def _answer(self, post: dict, post_id: int, parent: int) -> None:
        up, down = self._up_down(post, post_id)
        if post_id in self.answers:
            self.summary.skipped["already imported"] += 1
            return
        body = post.get("Body") or ""
        author = author_name(post, self.names)
        histogram = (down, 0, 0, 0, up)
        row = {
            "key_point_id": None, "author_id": None, "author_name": author,
            "body": html_to_markdown(body), "body_html": sanitize_html(body),
            "status": "visible", "featured": False, "hidden_reason": "",
            "n1": down, "n2": 0, "n3": 0, "n4": 0, "n5": up, "rating_count": up + down,
            "rating_sum": 5 * up + down,
            "score": usefulness_score(histogram) if up or down else UNRATED_SCORE,
            "created_at": parse_date(post.get("CreationDate")) or utcnow(),
            "edited_at": parse_date(post.get("LastEditDate")),
        }  # fmt: skip
        source = records.source_row(
            post, self.summary.site, post_id, "contribution", author, up, down
        )
        self.answers.add(post_id)
        self.answer_rows.append((parent, row, source))
        self.summary.up_votes += up
        self.summary.down_votes += down
        if len(self.answer_rows) >= BATCH:
            self._flush_answers()

    def _flush_prompts(self) -> None:
        if not self.prompt_rows:
            return
        ids = records.insert_returning(self.conn, Prompt, [r for r, _, _ in self.prompt_rows])
        links, sources = [], []
        for prompt_id, (_row, tags, source) in zip(ids, self.prompt_rows, strict=True):
            self.questions[source["original_id"]] = prompt_id
            sources.append({**source, "prompt_id": prompt_id})
            links += [{"prompt_id": prompt_id, "tag_id": t} for t in self._tag_ids(tags)]
        records.write_tags_and_sources(self.conn, links, sources)
        self.new_prompts.update(ids)
        self.summary.prompts += len(ids)
        self.prompt_rows = []

    def _tag_ids(self, raw_names: list[str]) -> list[int]:
        names = records.tag_names(raw_names)
        new = [n for n in names if n not in self.tag_ids]
        if new:
            for name, tag_id in zip(new, records.insert_returning(
                self.conn, Tag, [{"name": n} for n in new]
            ), strict=True):  # fmt: skip
                self.tag_ids[name] = tag_id
            self.summary.tags += len(new)
        return [self.tag_ids[n] for n in names]

    def _flush_answers(self) -> None:
        self._flush_prompts()  # their prompts first, so every answer knows its prompt's id
        if not self.answer_rows:
            return
        rows_ = []
        for parent, row, _ in self.answer_rows:
            prompt_id = self.questions[parent]
            if prompt_id not in self.new_prompts:
                self.touched.add(prompt_id)
            rows_.append({**row, "prompt_id": prompt_id})
        ids = records.insert_returning(self.conn, Contribution, rows_)
        sources = [
            {**source, "contribution_id": i}
            for i, (_, _, source) in zip(ids, self.answer_rows, strict=True)
        ]
        self.conn.execute(insert(ImportedPost), sources)
        self.summary.contributions += len(ids)
        self.answer_rows = []

    def finish(self) -> None:
        for post in self.waiting:
            parent = optional_number(post.get("ParentId"))
            post_id = number(post, "Id", "Posts.xml")
            if parent in self.seen_questions:
                self._answer(post, post_id, parent)
            else:
                self.summary.skipped["answers whose question is not in Posts.xml"] += 1
                if self.votes is not None:
                    self.votes.pop(post_id, None)
        self._flush_answers()
        records.finish_prompts(self.conn, self.new_prompts, self.touched)
