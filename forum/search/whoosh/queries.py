"""A reader's parsed query as Whoosh queries, analysed as the index analyses its text."""

from __future__ import annotations

from collections import Counter

from whoosh import query as wq

from forum.search.bounds import bounded, narrowed
from forum.search.query import And, Not, Or, ParsedQuery, Phrase, Term
from forum.search.soft import pass_for, repeated, soft_parts
from forum.search.whoosh.minmatch import MinMatch
from forum.search.whoosh.schema import TEXT_FIELDS


def analysed(schema, field: str, word: str) -> list[str]:
    return [t.text for t in schema[field].analyzer(word)]


def _term(schema, field, word):
    texts = analysed(schema, field, word)
    if not texts:
        return wq.NullQuery
    return (
        wq.And([wq.Term(field, t) for t in texts]) if len(texts) > 1 else wq.Term(field, texts[0])
    )


def _phrase(schema, field, words):
    texts = [t for w in words for t in analysed(schema, field, w)]
    if not texts:
        return wq.NullQuery
    return wq.Phrase(field, texts) if len(texts) > 1 else wq.Term(field, texts[0])


def _text_query(schema, node, fields):
    if isinstance(node, Term):
        return wq.Or([_term(schema, f, node.word) for f in fields])
    if isinstance(node, Phrase):
        return wq.Or([_phrase(schema, f, node.words) for f in fields])
    if isinstance(node, Not):
        return wq.Not(_text_query(schema, node.node, fields))
    if isinstance(node, And):
        return wq.And([_text_query(schema, n, fields) for n in node.nodes])
    if isinstance(node, Or):
        return wq.Or([_text_query(schema, n, fields) for n in node.nodes])
    raise TypeError(node)


def frequencies(searcher):
    """How many documents each word matches (in any text field) and how many the index holds:
    what bounds.narrowed asks."""

    def estimate(words: list[str]) -> tuple[dict[str, float], int]:
        counts = {}
        for word in words:
            stems = analysed(searcher.schema, "body", word)
            counts[word] = min(
                (sum(searcher.doc_frequency(f, s) for f in TEXT_FIELDS) for s in stems), default=0
            )
        return counts, searcher.doc_count()

    return estimate


def query_parts(schema, parsed: ParsedQuery, estimate=None):
    """The scored text query (None without words), the filters every hit must match, and
    what no hit may match (each None when empty). At most MAX_TERMS words are read, whatever
    reached the engine, and with `estimate` (frequencies()) wide ORs keep their rarest
    branches (bounds.py)."""
    text = None
    node = text_node(parsed, estimate)
    if node is not None:
        # normalize() drops the empty queries of stop words, which otherwise match nothing
        # and so made every AND with a stop word ("motivate the students") empty.
        text = _text_query(schema, node, TEXT_FIELDS).normalize()
    filters = [
        wq.Or([wq.Term(name, v) for v in values])
        for name, values in (
            ("type", parsed.types),
            ("topic", parsed.topics),
            ("author", parsed.authors),
        )
        if values
    ] + [wq.Term("tags", tag) for tag in parsed.tags]
    excluded = (
        [wq.Term("tags", t) for t in parsed.exclude_tags]
        + [wq.Term("topic", t) for t in parsed.exclude_topics]
        + [wq.Term("author", a) for a in parsed.exclude_authors]
    )
    allow = (wq.And(filters) if len(filters) > 1 else filters[0]) if filters else None
    return text, allow, (wq.Or(excluded) if excluded else None)


def text_node(parsed: ParsedQuery, estimate=None):
    """The expression the engine reads (None without words): at most MAX_TERMS words, wide ORs
    cut to their rarest branches with `estimate` (bounds.py)."""
    if parsed.text is None:
        return None
    node = bounded(parsed.text)
    return narrowed(node, estimate) if estimate is not None else node


def soft_query(schema, node, loose: bool = False):
    """(the query matching most of the words put side by side, how many words it counts) when
    `node` is a soft conjunction whose minimum is fewer than all its words (forum/search/
    soft.py), else None; `loose`: the last pass, any one of the words (None when it is the pass
    before or there is one word). Stop words (no query) do not count; a NOT beside them still
    excludes."""
    parts = soft_parts(node)
    if parts is None:
        return None
    positive, excluded = parts
    queries = [_text_query(schema, child, TEXT_FIELDS).normalize() for child in positive]
    # A word repeated, or two forms of one word, count once as a word held, and weigh by how
    # often the reader wrote them (soft.repeated): a pasted question says its subject more
    # than once.
    times = Counter(q for q in queries if q is not wq.NullQuery)
    queries = list(times)
    for query in queries:
        query.boost *= repeated(times[query])
    step = pass_for(len(queries), loose)
    if step is None:
        return None
    # The rarest few words choose the candidates; all of them are counted (soft.py).
    chosen, minimum = step
    query = MinMatch(queries, minimum, choosing=chosen)
    if excluded:
        deny = [_text_query(schema, child.node, TEXT_FIELDS).normalize() for child in excluded]
        deny = [q for q in deny if q is not wq.NullQuery]
        if deny:
            query = wq.AndNot(query, wq.Or(deny) if len(deny) > 1 else deny[0])
    return query, len(queries)


def build_query(schema, parsed: ParsedQuery, estimate=None):
    """The one Whoosh query for a parsed reader's query (text, filters and exclusions)."""
    text, allow, deny = query_parts(schema, parsed, estimate)
    parts = [part for part in (text, allow) if part is not None]
    query = wq.And(parts) if len(parts) > 1 else (parts[0] if parts else wq.Every())
    return wq.AndNot(query, deny) if deny is not None else query
