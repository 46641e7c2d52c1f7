"""A reader's parsed query as Whoosh queries, analysed as the index analyses its text."""

from __future__ import annotations

from whoosh import query as wq

from forum.search.query import And, Not, Or, ParsedQuery, Phrase, Term
from forum.search.whoosh_schema import TEXT_FIELDS


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


def query_parts(schema, parsed: ParsedQuery):
    """The scored text query (None without words), the filters every hit must match, and
    what no hit may match (each None when empty)."""
    text = None
    if parsed.text is not None:
        # normalize() drops the empty queries of stop words, which otherwise match nothing
        # and so made every AND with a stop word ("motivate the students") empty.
        text = _text_query(schema, parsed.text, TEXT_FIELDS).normalize()
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


def build_query(schema, parsed: ParsedQuery):
    """The one Whoosh query for a parsed reader's query (text, filters and exclusions)."""
    text, allow, deny = query_parts(schema, parsed)
    parts = [part for part in (text, allow) if part is not None]
    query = wq.And(parts) if len(parts) > 1 else (parts[0] if parts else wq.Every())
    return wq.AndNot(query, deny) if deny is not None else query


def corrections(searcher, field: str, word: str, limit: int = 3) -> list[str]:
    """What searcher.corrector(field).suggest(word, limit) answers, but asking each segment's
    word automaton: with several segments Whoosh compares the word with every word indexed."""
    reader = searcher.reader()
    found = {w for leaf, _ in reader.leaf_readers() for w in leaf.terms_within(field, word, 2)}
    # Whoosh's ranking: the same distance for all, then the frequency, then the word.
    ranked = sorted((-(2 + 0.5 / (reader.frequency(field, w) or 1)), w) for w in found)
    return [w for _, w in sorted(ranked[-limit:], key=lambda item: (-item[0], item[1]))]
