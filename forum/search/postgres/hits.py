"""What a search hit carries, read by the one statement that finds it: the best candidates of
each kind (query.py) joined to their topic, author and prompt, with the hit's tags, outcomes and
a prompt's usefulness, and that statement kept per shape of query (its words as parameters).
"""

from __future__ import annotations

from sqlalchemy import literal, literal_column, select, union_all
from sqlalchemy.types import NullType

from forum.models import Contribution, Prompt, Topic, User
from forum.search.documents import TOP_FOR_PROMPT
from forum.search.postgres import query as pq
from forum.search.query import And, Not, Or, ParsedQuery, Phrase, Term


def shape_of(node, values: list[str]) -> object:
    """The node without its words (they are appended to `values`, in tsquery's order)."""
    if isinstance(node, Term | Phrase):
        values.append(pq.text_of(node))
        return "w"
    if isinstance(node, Not):
        return ("not", shape_of(node.node, values))
    if isinstance(node, And | Or):
        return (
            "and" if isinstance(node, And) else "or",
            *(shape_of(n, values) for n in node.nodes),
        )
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
        return found(parsed, pq.tsquery(node), limit), {}
    values: list[str] = []
    key = (shape_of(node, values), limit, pq.RANKED)
    statement = _TYPED.get(key)
    if statement is None:
        if len(_TYPED) >= TYPED_KEPT:
            _TYPED.clear()
        statement = _TYPED[key] = found(parsed, pq.tsquery(node, []), limit)
    return statement, {f"w{n}": value for n, value in enumerate(values)}


def found(parsed: ParsedQuery, query, limit: int, chosen: dict | None = None):
    """(kind, id, prompt_id, score, topic slug, topic name, author username, created, prompt
    title, prompt slug, usefulness, ratings, featured, the prompt's tags, the contribution's
    own tags, tried, worked, success, the prompt's top scores, words held) of the best `limit`
    prompts and the best `limit` visible contributions (read live), in no particular order: the
    candidates and what a hit carries, in one statement that reads the details of those few rows
    only. The service takes these numbers as they are instead of reading the rows again (a
    statement each for the tags, the outcomes and the prompts' usefulness cost more than their
    answers).
    `chosen`, when given, holds the candidates of each kind to read instead (soft.py; a kind it
    leaves out is not read); words held is 0 unless they say."""
    parts = []

    def wanted(kind: str) -> bool:
        allowed = not parsed.types or kind in parsed.types
        return allowed and (chosen is None or kind in chosen)

    if chosen is None and query is not None and wanted("prompt") and wanted("contribution"):
        chosen = _best_of_both(parsed, query, limit)
    if wanted("prompt"):
        prompts = (chosen or {}).get("prompt", None)
        if prompts is None:
            prompts = pq.prompt_candidates(parsed, query, limit)
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
            contributions = pq.contribution_candidates(parsed, query, limit)
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


def _best_of_both(parsed: ParsedQuery, query, limit: int) -> dict:
    """The best `limit` candidates of both kinds together, as soft.rows orders them (score,
    then prompts first, then id), by kind: only those few rows get what a hit carries. Each
    kind's best `limit` were all read in detail (their tags, a prompt's top scores, joins),
    and about half of them were then dropped: a third of a common word's statement."""
    return best_together(
        {
            "prompt": pq.prompt_candidates(parsed, query, limit),
            "contribution": pq.contribution_candidates(parsed, query, limit),
        },
        limit,
    )


def best_together(chosen: dict, limit) -> dict:
    """Of `chosen`'s prompts (id, score[, held]) and contributions (id, prompt_id, score[,
    held]), the best `limit` of both kinds together in soft.rows' order: the words held first
    when the candidates say (a soft pass), then score, prompts first, id. By kind, as
    `found` takes them."""
    prompts = chosen["prompt"].subquery()
    contributions = chosen["contribution"].subquery()
    held = "held" in prompts.c
    both = union_all(
        select(literal("prompt").label("kind"), prompts.c.id,
               prompts.c.id.label("prompt_id"), prompts.c.score, *_held_of(prompts, held)),
        select(literal("contribution").label("kind"), contributions.c.id,
               contributions.c.prompt_id, contributions.c.score,
               *_held_of(contributions, held)),
    ).subquery()  # fmt: skip
    order = [both.c.held.desc()] if held else []
    best = (
        select(both)
        .order_by(*order, both.c.score.desc(), both.c.kind != "prompt", both.c.id)
        .limit(limit)
        .cte("best")
    )
    extra = [best.c.held] if held else []
    return {
        "prompt": select(best.c.id, best.c.score, *extra).where(best.c.kind == "prompt"),
        "contribution": select(best.c.id, best.c.prompt_id, best.c.score, *extra).where(
            best.c.kind == "contribution"
        ),
    }


def _held_of(candidates, held: bool) -> list:
    return [candidates.c.held] if held else []


# The arrays below come back as psycopg reads them (lists of str and of float): typed ARRAY, each
# element of the 400 candidates' arrays went through SQLAlchemy's processing again (about 1 ms
# of an ordinary search).
AS_SENT = NullType()

# What a hit carries besides its row, read by the same statement (the outer query's `prompts`
# and `contributions` are the hit's rows): the tag names of its prompt and a contribution's
# own, and a prompt's TOP_FOR_PROMPT best visible contributions' scores (its usefulness,
# search/documents.py) from the (prompt_id, status, score) index.
PROMPT_TAGS = literal_column(
    "ARRAY(SELECT t.name FROM prompt_tags l JOIN tags t ON t.id = l.tag_id"
    " WHERE l.prompt_id = prompts.id)",
    AS_SENT,
).label("prompt_tags")
OWN_TAGS = literal_column(
    "ARRAY(SELECT t.name FROM contribution_tags l JOIN tags t ON t.id = l.tag_id"
    " WHERE l.contribution_id = contributions.id)",
    AS_SENT,
).label("own_tags")
_TOP = (
    "ARRAY(SELECT c.score FROM contributions c WHERE c.prompt_id = prompts.id"  # noqa: S608
    f" AND c.status = 'visible' ORDER BY c.score DESC LIMIT {int(TOP_FOR_PROMPT)})"
)
TOP_SCORES = literal_column(_TOP, AS_SENT).label("top_scores")


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
        Topic.name.label("topic_name"),
        User.username,
        model.created_at,
        Prompt.title,
        Prompt.slug.label("prompt_slug"),
    ).join(model, model.id == candidates.c.id)
