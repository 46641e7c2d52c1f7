"""Planning a soft match on PostgreSQL (soft.py asks it): the words' tsqueries, which of them
are rarest (the planner's statistics), and the GIN condition naming the rows that may hold
enough of them.

A row holding at least m of n words holds at least m - (n - k) of the k rarest, so the index is
asked for every combination of that many of the k rarest words (tsquery ORs of ANDs: the index
evaluates it on its posting lists, no row read), with k as large as keeps the combinations
within MAX_COMBINATIONS: k = n, an exact answer, for every query of up to eight words.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Text, bindparam, cast, select
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.search.postgres import lookups
from forum.search.postgres import query as pq
from forum.search.query import Or, Phrase, Term, words_of
from forum.search.soft import budgeted, pass_for, repeated, soft_parts, weights, within_budget

_TSQUERIES = sql(
    """
    SELECT websearch_to_tsquery('english', t.text)::text
      FROM unnest(:texts) WITH ORDINALITY AS t(text, n) ORDER BY t.n
    """
).bindparams(bindparam("texts", type_=ARRAY(Text)))
# A word or phrase as written -> its tsquery text ('english' config; '' for a stop word).
_tsqueries: dict[str, str] = {}
# At most this many combinations of words in the index condition.
MAX_COMBINATIONS = 128
LEXEME = re.compile(r"^'((?:[^']|'')+)'$")


@dataclass
class Plan:
    words: int  # n: the side-by-side words that are not stop words
    minimum: int  # m (of the CHOOSING rarest words, for a query of more words)
    gin: str  # tsquery text: rows that may hold m words (exact when `exact`), NOTs applied
    exact: bool
    lexemes: list[str]  # single-lexeme words, counted through ts_delete
    others: list[str]  # tsquery texts of the other words, counted through @@
    ranking: str  # tsquery text: any of the words
    weights: dict[str, float]  # each word's tsquery text: its weight in the tiers (soft.weights)
    known: int  # how many of the words some row may hold (soft.in_tiers)


def plan(node, loose: bool = False, words_read: Words | None = None) -> Plan | None:
    """How to match `node` softly, or None when every word is needed (not a soft conjunction,
    or too few words for any to be missing). `loose`: the last pass, any one of the words
    (soft.passes; None for one word or when it is the pass before). `words_read`: what
    `read_words` returned for `node`, when another pass read it already."""
    parts = soft_parts(node)
    if parts is None:
        return None
    positive, excluded = parts
    if pass_for(len(positive), loose) is None:
        return None  # e.g. two words, every one needed: asked as typed already
    read = words_read or read_words(node)
    texts, kept = read.texts, read.kept
    words = len(kept)
    step = pass_for(words, loose)
    if step is None:
        return None
    chosen, minimum = step
    choosers = read.order[:chosen]  # the rarest few choose the candidates (soft.py)
    if minimum == 1 and budgeted(words):  # the last pass: within its budget (soft.py)
        choosers = within_budget(choosers, read.found.__getitem__)
    slack = len(choosers) - minimum
    rare = len(choosers)
    while math.comb(rare, slack) > MAX_COMBINATIONS:
        rare -= 1
    size = rare - slack
    combos = itertools.combinations(choosers[:rare], size)
    gin = " | ".join("(" + " & ".join(f"({t})" for t in combo) + ")" for combo in combos)
    nots = [f" & !({t})" for t in texts[len(positive) :] if t]
    lexemes = [m.group(1).replace("''", "'") for t in kept if (m := LEXEME.match(t))]
    return Plan(
        words=words,
        minimum=minimum,
        gin=f"({gin})" + "".join(nots),
        exact=rare == len(choosers),
        lexemes=lexemes,
        others=[t for t in kept if not LEXEME.match(t)],
        ranking=" | ".join(f"({t})" for t in kept),
        weights=read.weights,
        known=read.known,
    )


@dataclass
class Words:
    """What every pass of a soft query plans with (`read_words`)."""

    texts: list[str]  # each side-by-side word's and NOT's tsquery text ('' for a stop word)
    kept: list[str]  # the distinct words' texts that are not stop words
    order: list[str]  # those texts, the rarest first
    weights: dict[str, float]  # each kept text's weight in the tiers (soft.weights)
    found: dict[str, float]  # the rows each kept text is estimated in
    known: int  # how many kept texts some row may hold (not counted in none)


def read_words(node) -> Words:
    """The words of `node`'s soft conjunction, as every pass plans with them."""
    positive, excluded = soft_parts(node)
    texts = _texts([*positive, *(n.node for n in excluded)])
    kept = list(dict.fromkeys(t for t in texts[: len(positive)] if t))
    order, rarity, total = _rarest_first(positive, texts[: len(positive)], kept)
    # The statistics cannot tell a word no row holds: a word they give no figure is as rare
    # as the rarest they do (none: all alike).
    known = [rarity[t] for t in kept if 0 < rarity[t] < math.inf]
    documents = [rarity[t] if 0 < rarity[t] < math.inf else min(known, default=1.0) for t in kept]
    weighs = dict(zip(kept, weights(documents, total or 1), strict=True))
    # A word the reader wrote more than once weighs more (soft.repeated).
    times = Counter(t for t in texts[: len(positive)] if t)
    weighs = {t: w * repeated(times[t]) for t, w in weighs.items()}
    # A word counted in no row (lookups.frequencies) is one nobody wrote: a typo, a name.
    known_words = sum(1 for t in kept if rarity[t] != 0)
    return Words(texts, kept, order, weighs, dict(zip(kept, documents, strict=True)), known_words)


def _texts(nodes) -> list[str]:
    """Each node's tsquery as text ('' for stop words), in one statement: for words and
    phrases one whose text never changes (an array: compiled once, however many words; a
    pasted question's 40 columns cost 25 ms to compile each time). A word's or phrase's text
    never changes, so each process keeps them (_tsqueries): often no statement at all."""
    if all(isinstance(node, Term | Phrase) for node in nodes):
        texts = [
            node.word if isinstance(node, Term) else '"' + " ".join(node.words) + '"'
            for node in nodes
        ]
        unknown = list(dict.fromkeys(t for t in texts if t not in _tsqueries))
        if unknown:
            if len(_tsqueries) > lookups.WORDS_KEPT:
                _tsqueries.clear()
            found = db.session.execute(_TSQUERIES, {"texts": unknown}).scalars()
            _tsqueries.update(zip(unknown, (t or "" for t in found), strict=True))
        return [_tsqueries[t] for t in texts]
    columns = [cast(pq.tsquery(node), Text) for node in nodes]
    return [t or "" for t in db.session.execute(select(*columns)).one()]


def _rarest_first(positive, texts, kept) -> tuple[list[str], dict[str, float], int]:
    """(the kept tsquery texts, the rarest word first; how many documents hold each; how many
    there are), by the planner's statistics (lookups.py)."""
    counts, total = lookups.frequencies(sorted({w for n in positive for w in words_of(n)}))

    def documents(node) -> float:
        found = [counts.get(w, math.inf) for w in words_of(node)]
        if isinstance(node, Term | Phrase):
            return min(found, default=math.inf)
        return sum(found) if isinstance(node, Or) else min(found, default=math.inf)

    rarity = {}
    for node, text in zip(positive, texts, strict=True):
        if text:
            rarity[text] = min(rarity.get(text, math.inf), documents(node))
    return sorted(kept, key=lambda t: (rarity[t], kept.index(t))), rarity, total
