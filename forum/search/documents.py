"""Search documents built from database rows: what the engines index, and nothing hidden."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.models import Contribution, KeyPoint, Prompt, Tag, Topic, User
from forum.models.contribution import contribution_tags
from forum.models.prompt import prompt_tags
from forum.ranking import UNRATED_SCORE, usefulness_unit

BATCH = 500
TOP_FOR_PROMPT = 3


def key(kind: str, item_id: int) -> str:
    return f"{kind[0]}:{item_id}"


_TAG = re.compile(r"<[^>]+>")


def plain_text(rendered_html: str) -> str:
    """The words of stored, sanitized HTML, for indexing and snippets: tags dropped, entities
    read, each run of whitespace one space. (str.split and the expression \\s+ take the same
    characters for whitespace; splitting costs a third of substituting every space.)"""
    return " ".join(html.unescape(_TAG.sub(" ", rendered_html or "")).split())


def prompt_usefulness(prompt_ids: list[int], session=None) -> dict[int, float]:
    """Mean 0..1 usefulness of each prompt's three most useful visible contributions."""
    session = session or db.session
    scores: dict[int, list[float]] = {pid: [] for pid in prompt_ids}
    if prompt_ids:
        for prompt_id, score in session.execute(*_top_scores(session, prompt_ids)):
            scores[prompt_id].append(score)
    return {
        pid: usefulness_unit(sum(s) / len(s) if s else UNRATED_SCORE) for pid, s in scores.items()
    }


# The TOP_FOR_PROMPT best scores of each prompt's visible contributions, read from the
# (prompt_id, status, score) index: three entries a prompt, however many it has (a prompt has
# about 160 at a million contributions). One statement of fixed text, the ids as an array.
_TOP_SCORES = sql(
    """
    SELECT p.id, top.score FROM unnest(:prompts) AS p(id)
     CROSS JOIN LATERAL (
       SELECT c.score FROM contributions c
        WHERE c.prompt_id = p.id AND c.status = 'visible'
        ORDER BY c.score DESC LIMIT :top) AS top
     ORDER BY p.id, top.score DESC
    """
).bindparams(bindparam("prompts", type_=ARRAY(Integer)))


def _top_scores(session, prompt_ids: list[int]) -> tuple:
    """The statement (and its parameters) of _TOP_SCORES; on SQLite, which has no LATERAL, each
    prompt's rows numbered best first and the first TOP_FOR_PROMPT kept."""
    if session.get_bind().dialect.name == "postgresql":
        return _TOP_SCORES, {"prompts": sorted(set(prompt_ids)), "top": TOP_FOR_PROMPT}
    place = (
        func.row_number()
        .over(partition_by=Contribution.prompt_id, order_by=Contribution.score.desc())
        .label("place")
    )
    ranked = (
        select(Contribution.prompt_id, Contribution.score, place)
        .where(Contribution.prompt_id.in_(prompt_ids), Contribution.status == "visible")
        .subquery()
    )
    return (
        select(ranked.c.prompt_id, ranked.c.score)
        .where(ranked.c.place <= TOP_FOR_PROMPT)
        .order_by(ranked.c.prompt_id, ranked.c.score.desc()),
    )


def prompt_document(prompt: Prompt, usefulness: float) -> dict:
    points = " ".join(f"{kp.title}. {kp.body}" for kp in prompt.key_points)
    return {
        "key": key("prompt", prompt.id),
        "type": "prompt",
        "id": prompt.id,
        "prompt_id": prompt.id,
        "title": prompt.title,
        "body": f"{plain_text(prompt.intro_html)} {points}".strip(),
        "topic": prompt.topic.slug,
        "tags": list(prompt.tag_names),
        "author": prompt.author.username if prompt.author else "",
        "usefulness": usefulness,
        "ratings": 0,
        "featured": False,
        "created": prompt.created_at,
    }


def contribution_document(contribution: Contribution, prompt: Prompt) -> dict:
    point = next((kp for kp in prompt.key_points if kp.id == contribution.key_point_id), None)
    return _contribution_fields(
        contribution,
        prompt.id,
        f"{point.title if point else ''} {prompt.title}",
        prompt.topic.slug,
        set(contribution.tag_names) | set(prompt.tag_names),
        contribution.author.username if contribution.author else "",
    )


def _contribution_fields(row, prompt_id: int, context: str, topic: str, tags, author: str) -> dict:
    """The document of a contribution (an ORM object or a row with the same attribute names)."""
    return {
        "key": key("contribution", row.id),
        "type": "contribution",
        "id": row.id,
        "prompt_id": prompt_id,
        # The question it answers helps it be found, weighted below the prompt's own title.
        "context": context.strip(),
        "title": "",
        "body": plain_text(row.body_html),
        "topic": topic,
        "tags": sorted(tags),
        "author": author,
        "usefulness": usefulness_unit(row.score),
        "ratings": row.rating_count,
        "featured": row.featured,
        "created": row.created_at,
    }


def documents_for(
    prompt_ids: set[int], contribution_ids: set[int], session=None
) -> tuple[list[dict], list[str]]:
    """Current documents for these items, and the keys that must leave the index."""
    session = session or db.session
    documents: list[dict] = []
    removed: list[str] = []
    contributions = (
        list(session.scalars(select(Contribution).where(Contribution.id.in_(contribution_ids))))
        if contribution_ids
        else []
    )
    found = {c.id for c in contributions}
    removed += [key("contribution", i) for i in contribution_ids - found]
    prompt_ids = set(prompt_ids) | {c.prompt_id for c in contributions}
    prompts = {p.id: p for p in session.scalars(select(Prompt).where(Prompt.id.in_(prompt_ids)))}
    removed += [key("prompt", i) for i in prompt_ids - set(prompts)]
    for contribution in contributions:
        if contribution.status == "visible" and contribution.prompt_id in prompts:
            documents.append(contribution_document(contribution, prompts[contribution.prompt_id]))
        else:
            removed.append(key("contribution", contribution.id))
    usefulness = prompt_usefulness(list(prompts), session)
    documents += [prompt_document(p, usefulness[p.id]) for p in prompts.values()]
    return documents, removed


def searchable_count() -> int:
    """How many documents search holds: every prompt and every visible contribution."""
    return db.session.scalar(select(func.count(Prompt.id))) + db.session.scalar(
        select(func.count(Contribution.id)).where(Contribution.status == "visible")
    )


def all_documents() -> Iterator[dict]:
    """Every searchable document, paged by primary key so memory stays flat."""
    last = 0
    while True:
        ids = list(
            db.session.scalars(
                select(Prompt.id).where(Prompt.id > last).order_by(Prompt.id).limit(BATCH)
            )
        )
        if not ids:
            break
        documents, _ = documents_for(set(ids), set())
        yield from documents
        last = ids[-1]
        db.session.expunge_all()
    yield from _all_contribution_documents()


def _all_contribution_documents() -> Iterator[dict]:
    """Visible contributions from plain rows, a page at a time. Pages follow the primary key
    alone (filtering on status in SQL would make SQLite scan and sort every visible row per
    page), with each page's prompts, key points and tags read in one query each."""
    columns = (Contribution.id, Contribution.prompt_id, Contribution.key_point_id,
               Contribution.status, Contribution.body_html, Contribution.score,
               Contribution.rating_count, Contribution.featured, Contribution.created_at,
               User.username)  # fmt: skip
    last = 0
    while True:
        page = db.session.execute(
            select(*columns)
            .outerjoin(User, User.id == Contribution.author_id)
            .where(Contribution.id > last)
            .order_by(Contribution.id)
            .limit(BATCH)
        ).all()
        if not page:
            break
        last = page[-1].id
        rows = [row for row in page if row.status == "visible"]
        prompt_ids = {row.prompt_id for row in rows}
        prompts = {
            pid: (title, slug)
            for pid, title, slug in db.session.execute(
                select(Prompt.id, Prompt.title, Topic.slug)
                .join(Topic, Topic.id == Prompt.topic_id)
                .where(Prompt.id.in_(prompt_ids))
            )
        }
        points = {
            (prompt_id, point_id): title
            for point_id, prompt_id, title in db.session.execute(
                select(KeyPoint.id, KeyPoint.prompt_id, KeyPoint.title).where(
                    KeyPoint.id.in_({r.key_point_id for r in rows if r.key_point_id})
                )
            )
        }
        prompt_tag_names = tag_names(prompt_tags.c.prompt_id, prompt_tags.c.tag_id, prompt_ids)
        own_tag_names = tag_names(
            contribution_tags.c.contribution_id, contribution_tags.c.tag_id, {r.id for r in rows}
        )
        for row in rows:
            if row.prompt_id not in prompts:
                continue
            title, topic = prompts[row.prompt_id]
            yield _contribution_fields(
                row,
                row.prompt_id,
                f"{points.get((row.prompt_id, row.key_point_id), '')} {title}",
                topic,
                prompt_tag_names.get(row.prompt_id, set()) | own_tag_names.get(row.id, set()),
                row.username or "",
            )


def tag_names(owner, tag_id, owners: set[int]) -> dict[int, set[str]]:
    """Tag names by owner id, through one link table (prompt_tags or contribution_tags)."""
    names: dict[int, set[str]] = {}
    if owners:
        rows = db.session.execute(
            select(owner, Tag.name).join(Tag, Tag.id == tag_id).where(owner.in_(owners))
        )
        for owner_id, name in rows:
            names.setdefault(owner_id, set()).add(name)
    return names


def expected_state() -> Iterator[tuple[str, float]]:
    """What the index should hold: every key with its usefulness, paged by primary key."""
    for document in all_documents():
        yield document["key"], document["usefulness"]
