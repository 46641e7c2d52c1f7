"""Search documents built from database rows: what the engines index, and nothing hidden."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, Prompt
from forum.services.ranking import UNRATED_SCORE, usefulness_unit

BATCH = 500
TOP_FOR_PROMPT = 3


def key(kind: str, item_id: int) -> str:
    return f"{kind[0]}:{item_id}"


def plain_text(rendered_html: str) -> str:
    """The words of stored, sanitized HTML, for indexing and snippets."""
    text = re.sub(r"<[^>]+>", " ", rendered_html or "")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def prompt_usefulness(prompt_ids: list[int], session=None) -> dict[int, float]:
    """Mean 0..1 usefulness of each prompt's three most useful visible contributions."""
    session = session or db.session
    scores: dict[int, list[float]] = {pid: [] for pid in prompt_ids}
    rows = session.execute(
        select(Contribution.prompt_id, Contribution.score)
        .where(Contribution.prompt_id.in_(prompt_ids), Contribution.status == "visible")
        .order_by(Contribution.prompt_id, Contribution.score.desc())
    )
    for prompt_id, score in rows:
        if len(scores[prompt_id]) < TOP_FOR_PROMPT:
            scores[prompt_id].append(score)
    return {
        pid: usefulness_unit(sum(s) / len(s) if s else UNRATED_SCORE) for pid, s in scores.items()
    }


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
    return {
        "key": key("contribution", contribution.id),
        "type": "contribution",
        "id": contribution.id,
        "prompt_id": prompt.id,
        # The question it answers helps it be found, weighted below the prompt's own title.
        "context": f"{point.title if point else ''} {prompt.title}".strip(),
        "title": "",
        "body": plain_text(contribution.body_html),
        "topic": prompt.topic.slug,
        "tags": sorted(set(contribution.tag_names) | set(prompt.tag_names)),
        "author": contribution.author.username if contribution.author else "",
        "usefulness": usefulness_unit(contribution.score),
        "ratings": contribution.rating_count,
        "featured": contribution.featured,
        "created": contribution.created_at,
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
    last = 0
    while True:
        rows = list(
            db.session.scalars(
                select(Contribution)
                .where(Contribution.id > last, Contribution.status == "visible")
                .order_by(Contribution.id)
                .limit(BATCH)
            )
        )
        if not rows:
            break
        prompts = {
            p.id: p
            for p in db.session.scalars(
                select(Prompt).where(Prompt.id.in_({c.prompt_id for c in rows}))
            )
        }
        for contribution in rows:
            yield contribution_document(contribution, prompts[contribution.prompt_id])
        last = rows[-1].id
        db.session.expunge_all()


def expected_state() -> Iterator[tuple[str, float]]:
    """What the index should hold: every key with its usefulness, paged by primary key."""
    for document in all_documents():
        yield document["key"], document["usefulness"]
