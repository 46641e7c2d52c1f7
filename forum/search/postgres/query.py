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
    Float,
    String,
    bindparam,
    column,
    exists,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, TSVECTOR

from forum.models import Contribution, Prompt, Tag, Topic, User
from forum.models.contribution import contribution_tags
from forum.models.prompt import prompt_tags
from forum.search.documents import TOP_FOR_PROMPT
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
        text = _text(node)
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


def _text(node) -> str:
    """What websearch_to_tsquery reads for a word or a phrase."""
    return node.word if isinstance(node, Term) else '"' + " ".join(node.words) + '"'


def _shape(node, values: list[str]) -> object:
    """The node without its words (they are appended to `values`, in tsquery's order)."""
    if isinstance(node, Term | Phrase):
        values.append(_text(node))
        return "w"
    if isinstance(node, Not):
        return ("not", _shape(node.node, values))
    if isinstance(node, And | Or):
        return ("and" if isinstance(node, And) else "or", *(_shape(n, values) for n in node.nodes))
    raise TypeError(node)


# found() of the query as typed, without filters, by the query's shape: building the statement
# and its cache key cost about 3 ms of an ordinary search's 35 (SQLAlchemy's own cache is
# looked up by that key, made afresh from each new statement). A shape is kept once per
# process; past TYPED_KEPT shapes (long pasted questions each have their own), the list starts
# again.
_TYPED: dict[tuple, object] = {}
TYPED_KEPT = 256


def as_typed(parsed: ParsedQuery, node, limit: int) -> tuple[object, dict[str, str]]:
    """(statement, parameters) of found() for `node` (the query's text as the engine reads it)
    with `parsed`'s filters: a statement built once for each shape of query without filters."""
    excluded = parsed.exclude_topics or parsed.exclude_tags or parsed.exclude_authors
    if parsed.has_filter or excluded:
        return found(parsed, tsquery(node), limit), {}
    values: list[str] = []
    key = (_shape(node, values), limit, RANKED)
    statement = _TYPED.get(key)
    if statement is None:
        if len(_TYPED) >= TYPED_KEPT:
            _TYPED.clear()
        statement = _TYPED[key] = found(parsed, tsquery(node, []), limit)
    return statement, {f"w{n}": value for n, value in enumerate(values)}


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


def found(parsed: ParsedQuery, query, limit: int, chosen: dict | None = None):
    """(kind, id, prompt_id, score, topic slug, author username, created, prompt title, prompt
    slug, usefulness, ratings, featured, the prompt's tags, the contribution's own tags, tried,
    worked, success, the prompt's top scores, words held) of the best `limit` prompts and the
    best `limit` visible contributions (read live), in no particular order: the candidates and
    what a hit carries, in one statement that reads the details of those few rows only. The
    service takes these numbers as they are instead of reading the rows again (a statement each
    for the tags, the outcomes and the prompts' usefulness cost more than their answers).
    `chosen`, when given, holds the candidates of each kind to read instead (soft.py; a kind it
    leaves out is not read); words held is 0 unless they say."""
    parts = []

    def wanted(kind: str) -> bool:
        allowed = not parsed.types or kind in parsed.types
        return allowed and (chosen is None or kind in chosen)

    if wanted("prompt"):
        prompts = (chosen or {}).get("prompt", None)
        if prompts is None:
            prompts = prompt_candidates(parsed, query, limit)
        prompts = prompts.subquery()
        parts.append(
            _with_details("prompt", prompts, prompts.c.id, Prompt)
            .add_columns(
                literal_column("NULL").label("usefulness"),
                literal_column("0").label("ratings"),
                literal_column("false").label("featured"),
                PROMPT_TAGS,
                literal_column("NULL::varchar[]").label("own_tags"),
                literal_column("0").label("tried"),
                literal_column("0").label("worked"),
                literal_column("NULL::float8").label("success"),
                TOP_SCORES,
                _held(prompts),
            )
            .join(Topic, Topic.id == Prompt.topic_id)
            .outerjoin(User, User.id == Prompt.author_id)
        )
    if wanted("contribution"):
        contributions = (chosen or {}).get("contribution", None)
        if contributions is None:
            contributions = contribution_candidates(parsed, query, limit)
        contributions = contributions.subquery()
        parts.append(
            _with_details("contribution", contributions, contributions.c.prompt_id, Contribution)
            .add_columns(
                Contribution.score,
                Contribution.rating_count,
                Contribution.featured,
                PROMPT_TAGS,
                OWN_TAGS,
                Contribution.outcome_count,
                Contribution.outcome_worked,
                Contribution.success,
                literal_column("NULL::float8[]").label("top_scores"),
                _held(contributions),
            )
            .join(Prompt, Prompt.id == Contribution.prompt_id)
            .join(Topic, Topic.id == Prompt.topic_id)
            .outerjoin(User, User.id == Contribution.author_id)
            .where(Contribution.status == "visible")
        )
    return union_all(*parts) if len(parts) > 1 else parts[0] if parts else None


# What a hit carries besides its row, read by the same statement (the outer query's `prompts`
# and `contributions` are the hit's rows): the tag names of its prompt and a contribution's
# own, and a prompt's TOP_FOR_PROMPT best visible contributions' scores (its usefulness,
# search/documents.py) from the (prompt_id, status, score) index.
PROMPT_TAGS = literal_column(
    "ARRAY(SELECT t.name FROM prompt_tags l JOIN tags t ON t.id = l.tag_id"
    " WHERE l.prompt_id = prompts.id)",
    ARRAY(String),
).label("prompt_tags")
OWN_TAGS = literal_column(
    "ARRAY(SELECT t.name FROM contribution_tags l JOIN tags t ON t.id = l.tag_id"
    " WHERE l.contribution_id = contributions.id)",
    ARRAY(String),
).label("own_tags")
_TOP = (
    "ARRAY(SELECT c.score FROM contributions c WHERE c.prompt_id = prompts.id"  # noqa: S608
    f" AND c.status = 'visible' ORDER BY c.score DESC LIMIT {int(TOP_FOR_PROMPT)})"
)
TOP_SCORES = literal_column(_TOP, ARRAY(Float)).label("top_scores")


def _held(candidates):
    return candidates.c.held if "held" in candidates.c else literal_column("0").label("held")


def _with_details(kind: str, candidates, prompt_id, model):
    """The columns of a hit for these candidates of `model` (Prompt or Contribution); the
    caller adds the usefulness columns and joins the prompt (for a contribution), the topic and
    the author."""
    return select(
        literal(kind).label("kind"),
        candidates.c.id,
        prompt_id.label("prompt_id"),
        candidates.c.score,
        Topic.slug,
        User.username,
        model.created_at,
        Prompt.title,
        Prompt.slug.label("prompt_slug"),
    ).join(model, model.id == candidates.c.id)
