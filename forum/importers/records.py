"""The rows an import writes: bulk INSERTs with their ids back, sources, tags, prompt counters."""

from __future__ import annotations

from sqlalchemy import func, insert, select, update

from forum import changes
from forum.changes import Changes
from forum.importers.stackexchange import content_license
from forum.models import Contribution, ImportedPost, Prompt
from forum.models.prompt import prompt_tags
from forum.models.types import utcnow
from forum.rendering import cut_tag, normalize_tag

LIMIT_TAGS = 10
CHUNK = 500


def known(conn, site: str) -> tuple[dict[int, int], set[int]]:
    """What a previous import of this site brought: question id -> prompt id, and answer ids."""
    questions: dict[int, int] = {}
    answers: set[int] = set()
    rows = conn.execute(
        select(ImportedPost.original_id, ImportedPost.kind, ImportedPost.prompt_id).where(
            ImportedPost.site == site
        )
    )
    for original_id, kind, prompt_id in rows:
        if kind == "prompt":
            questions[original_id] = prompt_id
        else:
            answers.add(original_id)
    return questions, answers


def source_row(post: dict, site: str, original_id: int, kind: str, author: str, up: int, down: int):
    return {
        "license": content_license(post),
        "site": site,
        "original_id": original_id,
        "kind": kind,
        "prompt_id": None,
        "contribution_id": None,
        "author_name": author,
        "up_votes": up,
        "down_votes": down,
        "imported_at": utcnow(),
    }


def insert_returning(conn, model, rows: list[dict]) -> list[int]:
    """Insert many rows in one statement and return their new ids, in the rows' order."""
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(statement, rows).scalars())


def tag_names(raw_names: list[str]) -> list[str]:
    """Tags as stored here: normalized, unique, at most LIMIT_TAGS. A name that is not a valid
    tag as written ("c++", "r.js") keeps its letters and digits ("c", "r-js")."""
    names: list[str] = []
    for raw in raw_names:
        name = normalize_tag(raw) or normalize_tag(
            cut_tag("-".join(part for part in _words(raw.lower()) if part))
        )
        if name and name not in names:
            names.append(name)
    return names[:LIMIT_TAGS]


def _words(text: str) -> list[str]:
    word, words = "", []
    for char in text:
        if char.isascii() and (char.isalnum() or char in "_-"):
            word += char
        else:
            words.append(word)
            word = ""
    return [*words, word]


def write_tags_and_sources(conn, links: list[dict], sources: list[dict]) -> None:
    if links:
        conn.execute(insert(prompt_tags), links)
    if sources:
        conn.execute(insert(ImportedPost), sources)


def finish_prompts(conn, new_prompts: set[int], touched: set[int]) -> None:
    """Count the contributions of every prompt the import changed, date the activity of those
    that existed before, and tell the change stream about them all (page versions, search:
    indexing a prompt indexes its contributions too)."""
    prompts = Prompt.__table__
    counted = (
        select(func.count(Contribution.id))
        .where(Contribution.prompt_id == prompts.c.id, Contribution.status == "visible")
        .scalar_subquery()
    )
    changed = sorted(new_prompts | touched)
    for start in range(0, len(changed), CHUNK):
        ids = changed[start : start + CHUNK]
        conn.execute(
            update(prompts).where(prompts.c.id.in_(ids)).values(contribution_count=counted)
        )
    old = sorted(touched - new_prompts)
    for start in range(0, len(old), CHUNK):
        conn.execute(
            update(prompts)
            .where(prompts.c.id.in_(old[start : start + CHUNK]))
            .values(last_activity_at=utcnow())
        )
    changes.record(conn, Changes(prompts=set(changed)))
