"""Prompts alike a text: "has this been asked?" while a prompt is written, and the prompts alike a
prompt that its related reading starts from. Both ask the engine the same question
(`similar_to_text`, forum/search/alike.py): a prompt's own title and intro, or the ones being
written; what the engine names is kept only while the prompt is still there."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from forum.extensions import db
from forum.models import Prompt
from forum.search import alike, documents, get_engine
from forum.services.errors import ServiceError

log = logging.getLogger(__name__)

# How many prompts "has this been asked?" shows.
LIMIT = 5


class NothingToCompare(ServiceError):
    code = 400


@dataclass(frozen=True)
class SimilarPrompt:
    """A prompt as anyone sees it, and how alike the text it is (0..1)."""

    prompt: Prompt
    similarity: float
    my_rating: bool | None = None


def similar_to(
    title: str | None, intro: str | None = "", limit: int = LIMIT
) -> list[SimilarPrompt]:
    """The prompts most alike a title (and intro) being written, best first. Long text is cut
    (alike.TITLE_CHARS, alike.INTRO_CHARS); text without a word to compare finds nothing."""
    title = alike.clean(title, alike.TITLE_CHARS)
    intro = alike.clean(intro, alike.INTRO_CHARS)
    if not title.strip() and not intro.strip():
        raise NothingToCompare("Give a title (or an intro) to compare with the prompts asked.")
    engine = get_engine()
    try:
        engine.catch_up(wait=0.0)
    except Exception:  # noqa: BLE001 - answer from the index as it is; changes stay queued
        log.exception("similar prompts: could not apply waiting changes first")
    found = engine.similar_to_text(title, intro, limit)
    ids = [a.id for a in found]
    prompts = {p.id: p for p in db.session.scalars(select(Prompt).where(Prompt.id.in_(ids)))}
    return [SimilarPrompt(prompts[a.id], a.similarity) for a in found if a.id in prompts]


def similar_prompts(prompt_id: int, limit: int = LIMIT) -> list[int]:
    """Ids of the other prompts most alike this prompt's title and intro, best first, that
    still exist."""
    row = db.session.execute(
        select(Prompt.title, Prompt.intro_html).where(Prompt.id == prompt_id)
    ).first()
    if row is None:
        return []
    title = alike.clean(row.title, alike.TITLE_CHARS)
    intro = alike.clean(documents.plain_text(row.intro_html), alike.INTRO_CHARS)
    ids = [a.id for a in get_engine().similar_to_text(title, intro, limit, exclude=prompt_id)]
    there = set(db.session.scalars(select(Prompt.id).where(Prompt.id.in_(ids))))
    return [i for i in ids if i in there]
