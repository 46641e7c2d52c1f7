"""Search as readers see it: parse, ask the engine, re-check in SQL every hit the engine did not
read live, blend, page.

A hit from an index comes with the numbers the index stored (kept in step through the engine's
outbox, drained on commit and before each search), so SQL is asked only which of the hits are no
longer visible; a hit without them is read in full.

`best` = text_norm x (0.3 + 0.7 x u) over the engine's top 200 hits (docs/architecture.md), where
text_norm is the engine's score over the best score in the set and u the 0..1 usefulness (for a
prompt, the mean of its three most useful contributions). Hidden and deleted content never comes
back, whatever the index holds: the database has the last word.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from forum.extensions import db
from forum.models import Topic
from forum.models.search import SEARCH_SORTS
from forum.ranking import usefulness_unit
from forum.search import bounds, documents, get_engine, soft
from forum.search.engine import EngineHit
from forum.search.query import WORD, ParsedQuery, QueryError, parse
from forum.services import search_feedback as feedback
from forum.services import search_visibility as visibility
from forum.services.errors import ServiceError
from forum.services.paging import Page
from forum.services.search_details import Member, add_details, add_outcomes
from forum.services.search_mentions import mentions_as_words
from forum.services.strategies import PROVEN_REPORTS

log = logging.getLogger(__name__)

CANDIDATES = 200
# What SEARCH_VARIANT may name (services/search_feedback.py): "plain", the engine's hits as they
# are (the default; an unknown name is read as plain), or "prf", the query expanded from its top
# hits.
SEARCH_VARIANTS = ("plain", "prf")
FEW_HITS = 3
LONG_QUERY = f"Your query was long: searched for its {bounds.MAX_TERMS} most telling words."
LOOSENED_OR = "Nothing held every word of one side of OR: these hold most of the words."


class BadQuery(ServiceError):
    code = 400


@dataclass
class Result:
    type: str
    id: int
    prompt_id: int
    title: str
    score: float
    text: float
    usefulness: float
    ratings: int
    featured: bool
    created: object
    topic: str
    tags: list[str]
    key: str
    slug: str = ""
    topic_name: str = ""  # where the engine read it with the hit (search_details.topic_names)
    snippet: str = ""
    # The fraction of the words put side by side that the hit holds (forum/search/soft.py).
    matched: float = 1.0
    # What the page shows to choose by (services/search_details.py), read for the page only.
    prompt_slug: str = ""
    author: Member | None = None
    author_name: str = ""
    rating_count: int = 0
    rating_average: float | None = None
    key_point_id: int | None = None
    key_point: str = ""
    # What happened when members tried a contribution (services/search_details.py): how many
    # reported, how many said it worked, and its success (None while nobody has). Never part of
    # the score.
    tried: int = 0
    worked: int = 0
    success: float | None = None

    @property
    def usefulness_score(self) -> float:
        """The usefulness back on the 1..5 scale the rest of the site shows."""
        return 1.0 + 4.0 * self.usefulness


@dataclass
class SearchPage(Page):
    """A page of results (with `pages`, `has_next`, `has_prev` for the page links)."""

    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    query: ParsedQuery | None = None
    notice: str | None = None  # what the reader should know of how the query was read
    # The names of the results' topics the engine read with the hits, by slug (the web page
    # names those it shows with search_details.topic_names).
    topic_names: dict = field(default_factory=dict)


def parse_query(q, **filters) -> ParsedQuery:
    try:
        parsed = parse(q, **filters)
    except QueryError as error:
        raise BadQuery(str(error)) from error
    if not (q or "").strip() and not parsed.has_filter:
        raise BadQuery("Type some words to search for, or choose a topic, tag, author or type.")
    mentions_as_words(parsed, filters.get("author"))
    return parsed


def _add_titles(results: list[Result]) -> None:
    """The prompt's title on each contribution of the page (only the page needs it), unless the
    engine read it already, with the authors, ratings and key points the page shows: one read
    for the page, however many hits it holds."""
    add_details(results)


def _results(hits) -> list[Result]:
    """Keep only what the database says is visible, with its current numbers: as the engine
    read them live (`current`) or as its index stored them (`stored`; SQL then says only which
    contributions are not visible and which prompts are still there, with their titles), and
    read here for the other hits."""
    unchecked = [h for h in hits if h.current is None and h.stored is None]
    contributions = visibility.visible_contributions(
        [h.id for h in unchecked if h.type == "contribution"]
    )
    prompt_rows = visibility.visible_prompts([h.id for h in unchecked if h.type == "prompt"])
    prompt_ids = list(prompt_rows) + [
        h.id for h in hits if h.current and h.current.score is None and h.type == "prompt"
    ]
    prompt_u = documents.prompt_usefulness(prompt_ids) if prompt_ids else {}
    unseen, prompts = visibility.check(
        [h.id for h in hits if h.stored is not None and h.type == "contribution"],
        {h.prompt_id for h in hits if h.stored is not None},
    )
    results = []
    for hit in hits:
        current, stored = hit.current, hit.stored
        if current is not None:
            prompt_id, title, created = hit.prompt_id, current.title, current.created
            live = current.score is not None
            u = usefulness_unit(current.score) if live else prompt_u[hit.id]
            if hit.type == "contribution":
                ratings, slug = current.ratings, ""
            else:
                ratings, slug = 0, current.slug
            featured = current.featured
        elif stored is not None:
            # Gone with its prompt, or hidden or deleted.
            if hit.prompt_id not in prompts or (hit.type == "contribution" and hit.id in unseen):
                continue
            title, slug = prompts[hit.prompt_id]
            slug = slug if hit.type == "prompt" else ""
            prompt_id, created = hit.prompt_id, hit.created
            u, ratings, featured = stored.usefulness, stored.ratings, stored.featured
        elif hit.type == "contribution" and hit.id in contributions:
            _, _, score, count, featured, created, prompt_id = contributions[hit.id]
            u, ratings, slug, title = usefulness_unit(score), count, "", ""
        elif hit.type == "prompt" and hit.id in prompt_rows:
            _, title, created, slug = prompt_rows[hit.id]
            prompt_id, u, ratings, featured = hit.id, prompt_u[hit.id], 0, False
        else:
            continue
        result = Result(
                type=hit.type,
                id=hit.id,
                prompt_id=prompt_id,
                title=title,
                score=0.0,
                text=hit.score,
                usefulness=u,
                ratings=ratings,
                featured=featured,
                created=created,
                topic=hit.topic,
                topic_name=hit.topic_name,
                tags=hit.tags,
                key=hit.key,
                slug=slug,
                matched=hit.matched,
            )  # fmt: skip
        if current is not None:  # what members' outcomes say, as the engine read it
            result.tried, result.worked, result.success = (
                current.tried, current.worked, current.success
            )  # fmt: skip
        results.append(result)
    return results


def _blend(results: list[Result], sort: str) -> None:
    best = max((r.text for r in results), default=0.0) or 1.0
    for result in results:
        result.text = result.text / best
        result.score = result.text * (0.3 + 0.7 * result.usefulness)
    keys = {
        "best": lambda r: (r.score, r.text),
        "relevance": lambda r: (r.text, r.score),
        "useful": lambda r: (r.usefulness, r.ratings, r.text),
        "newest": lambda r: (r.created, r.id),
    }
    results.sort(key=keys[sort], reverse=True)


def _facets(results: list[Result]) -> dict:
    topics = Counter(r.topic for r in results if r.topic)
    tags = Counter(tag for r in results for tag in r.tags)
    return {
        "topics": dict(topics.most_common(20)),
        "tags": dict(tags.most_common(20)),
        # Of the contribution hits, how many someone tried, and how many at least three did.
        "outcomes": {
            "tried": sum(1 for r in results if r.tried),
            "proven": sum(1 for r in results if r.tried >= PROVEN_REPORTS),
        },
    }


def _no_facets() -> dict:
    return _facets([])


def _suggestion(engine, parsed: ParsedQuery, q: str) -> str | None:
    words = parsed.words()
    if not words:
        return None
    better = engine.suggest(words)
    if not better:
        return None
    # Each word replaced where it stands, so quotes and brackets stay as typed.
    suggestion = WORD.sub(lambda m: better.get(m.group().lower(), m.group()), q or "")
    return suggestion if suggestion.lower() != (q or "").lower() else None


def search(q=None, *, type=None, topic=None, tag=None, author=None, sort="best", page=1,
           per_page=20) -> SearchPage:  # fmt: skip
    """One page of results for the reader's query, with facets and a "did you mean"."""
    if sort not in SEARCH_SORTS:
        raise BadQuery(f"sort is one of {', '.join(SEARCH_SORTS)}.")
    parsed = parse_query(q, type=type, topic=topic, tag=tag, author=author)
    if parsed.text is None and not parsed.has_filter:  # only punctuation, or only exclusions
        return SearchPage([], page, per_page, 0, _no_facets(), None, parsed)
    if parsed.topics and not db.session.scalar(
        select(Topic.id).where(Topic.slug.in_(parsed.topics))
    ):
        return SearchPage([], page, per_page, 0, _no_facets(), None, parsed)
    engine = get_engine()
    try:
        engine.catch_up(wait=0.0)
    except Exception:  # noqa: BLE001 - answer from the index as it is; changes stay queued
        log.exception("search: could not apply waiting changes before searching")
    notice = None
    if bounds.too_long(parsed.text):
        parsed.text = bounds.telling(parsed.text, engine.frequencies)
        notice = LONG_QUERY
    variant = feedback.variant(SEARCH_VARIANTS)
    hits = feedback.search(engine, parsed, CANDIDATES, variant)
    if len(hits) < CANDIDATES and (loose := soft.loosened(parsed.text)) is not None:
        if not hits:
            notice = " ".join(filter(None, (notice, LOOSENED_OR)))
        hits = _and_loosened(hits, feedback.search(engine, replace(parsed, text=loose),
                                                   CANDIDATES, variant))  # fmt: skip
    texts = {hit.key: hit.text for hit in hits}
    live = {hit.key for hit in hits if hit.current is not None}
    results = _results(hits)
    add_outcomes([r for r in results if r.key not in live])
    _blend(results, sort)
    chosen = results[(page - 1) * per_page : page * per_page]
    _add_titles(chosen)
    snippets = engine.snippets(parsed, [_as_hit(r, texts.get(r.key, "")) for r in chosen])
    for result in chosen:
        result.snippet = snippets.get(result.key, "")
    suggestion = _suggestion(engine, parsed, q) if len(results) < FEW_HITS else None
    facets = _facets(results)
    names = {r.topic: r.topic_name for r in results if r.topic_name}
    return SearchPage(chosen, page, per_page, len(results), facets, suggestion, parsed, notice,
                      names)  # fmt: skip


def _and_loosened(hits: list[EngineHit], loosened: list[EngineHit]) -> list[EngineHit]:
    """The hits of an OR as typed, then, up to the candidates, those holding most of the words
    of all its sides (soft.loosened), scored below every hit of the OR as typed."""
    keys = {hit.key for hit in hits}
    more = [hit for hit in loosened if hit.key not in keys][: CANDIDATES - len(hits)]
    scores = soft.tiered([(hit.score, 1) for hit in hits] + [(hit.score, 0) for hit in more])
    return [replace(hit, score=score) for hit, score in zip([*hits, *more], scores, strict=True)]


def _as_hit(result: Result, text: str = "") -> EngineHit:
    return EngineHit(key=result.key, type=result.type, id=result.id, prompt_id=result.prompt_id,
                     score=result.text, text=text)  # fmt: skip
