"""Prompts alike a title and intro, from the Whoosh index (forum/search/alike.py says how).

The text is analysed as the index analyses its fields; its most telling terms, each asked of a
prompt's title and body (intro and key points) with the term's weight as boost and ANDed with
"is a prompt" (so the matcher skips contributions instead of scoring them), find the candidates;
their stored title and body, analysed alike, are compared with the text in full. Document
frequencies count every document of the index, title and body fields together.
"""

from __future__ import annotations

from whoosh import query as wq

from forum.search import alike
from forum.search.alike import Alike


def _terms(analyzer, text: str) -> list[str]:
    return [token.text for token in analyzer(text)] if text else []


def similar_to_text(searcher, title: str, intro: str, limit: int, exclude=None) -> list[Alike]:
    analyzer = searcher.schema["body"].analyzer
    wanted = alike.weighed(_terms(analyzer, title), _terms(analyzer, intro))
    if not wanted.terms() or limit <= 0:
        return []
    n = searcher.doc_count()
    frequencies: dict[str, float] = {}

    def idfs_of(terms) -> dict[str, float]:
        for term in terms:
            if term not in frequencies:
                df = searcher.doc_frequency("title", term) + searcher.doc_frequency("body", term)
                frequencies[term] = alike.idf(df, n)
        return frequencies

    words = alike.telling(wanted, idfs_of(wanted.terms()), n)
    if not words:
        return []
    matches = wq.Or(
        [
            wq.Or([wq.Term("title", term, boost=weight), wq.Term("body", term, boost=weight)])
            for term, weight in words
        ]
    )
    # "is a prompt" adds the same score to every prompt, so the order is the words'. (A zero
    # boost to say so divides by zero once the collector skips weak matches.)
    query = wq.And([matches, wq.Term("type", "prompt")])
    found = searcher.search(query, limit=alike.CANDIDATES + (1 if exclude is not None else 0))
    prompts = {}
    for hit in found:
        if hit["id"] == exclude:
            continue
        prompts[hit["id"]] = other = alike.weighed(
            _terms(analyzer, hit.get("title") or ""), _terms(analyzer, hit.get("body") or "")
        )
        idfs_of(other.terms())
    return alike.ranked(wanted, prompts, frequencies, limit)
