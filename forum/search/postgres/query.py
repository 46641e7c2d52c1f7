"""A reader's parsed query as PostgreSQL full-text search: a tsquery and SQL filters.

Words and phrases go through `websearch_to_tsquery` (stemmed as the vectors are, stop words
dropped); AND / OR / NOT combine them with tsquery_and / tsquery_or / tsquery_not, where an
empty operand (a stop word) leaves the other side as it is. Filters read the live tables:
topic slug, tags (a contribution's own and its prompt's), author username, type.

Ranking reads each match's vector, so its cost grows with the matches: at most RANKED matches
of a table are ranked, the first the GIN index hands back (in storage order: the oldest rows
first), after the filters. A query matching fewer is ranked in full, as before.
"""

from __future__ import annotations

from sqlalchemy import (
    String,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from forum.models import Contribution, Prompt, Tag, Topic, User
from forum.models.contribution import contribution_tags
from forum.models.prompt import prompt_tags
from forum.search.query import And, Not, Or, ParsedQuery, Phrase, Term

CONFIG = literal_column("'english'::regconfig")
# Rank weights of the labels {D, C, B, A}: a prompt's title (A) above a contribution's context
# (B, the title it answers), above bodies (C).
WEIGHTS = literal_column("'{0.1, 0.6, 0.8, 1.0}'::float4[]")
# Rank divided by 1 + log(document length): long bodies do not win by length alone.
NORMALIZATION = 1
# K of the saturation above: a density of K scores half of what an endless one would.
SATURATION = 0.2
# At most this many matches of a table are ranked (a common word matches a third of a million
# contributions at 1,000,000, and ranking reads every one); five times the service's candidates.
RANKED = 1000

# The vectors of visible contributions (schema.py); not a model: PostgreSQL only.
contribution_search = table(
    "contribution_search",
    column("contribution_id"),
    column("prompt_id"),
    column("search_vector", TSVECTOR),
)
PROMPT_VECTOR = literal_column("prompts.search_vector", TSVECTOR)


def tsquery(node, values: list[str] | None = None) -> object:
    """The tsquery expression of a parsed text node. With `values`, each word or phrase is a
    parameter named by its place (w0, w1, ...; `values` collects their texts): the expression
    of the node's shape, whatever its words (as_typed)."""
    if isinstance(node, Term | Phrase):
        text = text_of(node)
        if values is not None:
            values.append(text)
            text = bindparam(f"w{len(values) - 1}", type_=String)
        return func.websearch_to_tsquery(CONFIG, text, type_=TSQUERY)
    if isinstance(node, Not):
        return func.tsquery_not(tsquery(node.node, values), type_=TSQUERY)
    if isinstance(node, And | Or):
        combine = func.tsquery_and if isinstance(node, And) else func.tsquery_or
        parts = [tsquery(child, values) for child in node.nodes]
        result = parts[0]
        for part in parts[1:]:
            result = combine(result, part, type_=TSQUERY)
        return result
    raise TypeError(node)


def text_of(node) -> str:
    """What websearch_to_tsquery reads for a word or a phrase."""
    return node.word if isinstance(node, Term) else '"' + " ".join(node.words) + '"'


def density(vector, query) -> object:
    """Cover density (ts_rank_cd: how many of the words, how close together, in which labels),
    divided by 1 + log(length). Computed once per match in a subquery: each call reads the
    vector again."""
    return func.ts_rank_cd(WEIGHTS, vector, query, NORMALIZATION)


def saturated(density) -> object:
    """The score: density saturated as BM25 saturates term frequency, c / (c + K). Raw cover
    density counts every repeat in full (a body saying "delegation" four times scored four
    times one saying it once, and the usefulness blend could no longer lift the better answer);
    saturated, repeats add less and less. It orders as the density does."""
    return density / (density + SATURATION)


def _tag_id(name: str):
    return select(Tag.id).where(Tag.name == name).scalar_subquery()


def _tag_of_prompt(prompt_id, name: str):
    return exists().where(
        prompt_tags.c.prompt_id == prompt_id, prompt_tags.c.tag_id == _tag_id(name)
    )


def _tagged(contribution_id, prompt_id, name: str):
    """A contribution carries its own tags and its prompt's."""
    own = exists().where(
        contribution_tags.c.contribution_id == contribution_id,
        contribution_tags.c.tag_id == _tag_id(name),
    )
    return or_(own, _tag_of_prompt(prompt_id, name))


def _by_authors(names: list[str]):
    return select(User.id).where(func.lower(User.username).in_(names))


def filters(parsed: ParsedQuery, prompt_id, author, contribution_id=None) -> list:
    """WHERE clauses for the topic, tags and authors, as semi-joins on the candidate's own
    columns (no join of every match). For prompts leave contribution_id None."""
    clauses = []
    for slugs, keep in ((parsed.topics, True), (parsed.exclude_topics, False)):
        if slugs:
            in_topics = select(Prompt.id).join(Topic, Topic.id == Prompt.topic_id)
            in_topics = prompt_id.in_(in_topics.where(Topic.slug.in_(slugs)))
            clauses.append(in_topics if keep else not_(in_topics))
    if parsed.authors:
        clauses.append(author.in_(_by_authors(parsed.authors)))
    if parsed.exclude_authors:
        clauses.append(or_(author.is_(None), author.not_in(_by_authors(parsed.exclude_authors))))
    for names, keep in ((parsed.tags, True), (parsed.exclude_tags, False)):
        for name in names:
            if contribution_id is None:
                clause = _tag_of_prompt(prompt_id, name)
            else:
                clause = _tagged(contribution_id, prompt_id, name)
            clauses.append(clause if keep else not_(clause))
    return clauses


def prompt_candidates(parsed: ParsedQuery, query, limit: int):
    """The best `limit` prompts among the first RANKED matches: (id, score); newest first
    without words."""
    if query is None:
        return (
            select(Prompt.id, literal_column("1.0").label("score"))
            .where(*filters(parsed, Prompt.id, Prompt.author_id))
            .order_by(Prompt.created_at.desc(), Prompt.id.desc())
            .limit(limit)
        )
    # The first RANKED matches, ranked in a subquery of narrow rows (the sort never carries the
    # vectors), each vector read once.
    matched = (
        select(Prompt.id, PROMPT_VECTOR.label("vector"))
        .where(PROMPT_VECTOR.op("@@")(query), *filters(parsed, Prompt.id, Prompt.author_id))
        .limit(RANKED)
        .subquery()
    )
    ranked = (
        select(matched.c.id, density(matched.c.vector, query).label("density")).offset(0).subquery()
    )
    return (
        select(ranked.c.id, saturated(ranked.c.density).label("score"))
        .order_by(ranked.c.density.desc(), ranked.c.id)
        .limit(limit)
    )


def contribution_candidates(parsed: ParsedQuery, query, limit: int):
    """The best `limit` visible contributions among the first RANKED matches: (id, prompt_id,
    score); newest first without words. Ranked from the narrow contribution_search table alone."""
    if query is None:
        return (
            select(Contribution.id, Contribution.prompt_id, literal_column("1.0").label("score"))
            .where(Contribution.status == "visible")
            .where(
                *filters(parsed, Contribution.prompt_id, Contribution.author_id, Contribution.id)
            )
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .limit(limit)
        )
    entry = contribution_search.c
    author = (
        select(Contribution.author_id).where(Contribution.id == entry.contribution_id)
    ).scalar_subquery()
    matched = (
        select(entry.contribution_id, entry.prompt_id, entry.search_vector)
        .where(entry.search_vector.op("@@")(query))
        .where(*filters(parsed, entry.prompt_id, author, entry.contribution_id))
        .limit(RANKED)
        .subquery()
    )
    ranked = (
        select(
            matched.c.contribution_id,
            matched.c.prompt_id,
            density(matched.c.search_vector, query).label("density"),
        )
        .offset(0)
        .subquery()
    )
    return (
        select(
            ranked.c.contribution_id.label("id"),
            ranked.c.prompt_id,
            saturated(ranked.c.density).label("score"),
        )
        .order_by(ranked.c.density.desc(), ranked.c.contribution_id)
        .limit(limit)
    )
