"""Whoosh field types of this project's indexes, and two things Whoosh 2.7.4 needs told once per
process (`prepare`, called by the engine when it is made).

Text analysis is most of what a rebuild costs (each writer process spends about a third of its
time there), so the text fields analyse through `TextAnalyzer`: the same chain as Whoosh's
LanguageAnalyzer (a RegexTokenizer, then lower case, stop words and a Snowball stemmer, giving
the same terms at the same positions), walked in one loop, each distinct word as written looked
up once in a cache of its term instead of passing a token through four generators, and stems
cached with functools.lru_cache (Whoosh's own LFU cache costs about four times as much a word).
"""

from __future__ import annotations

import functools
import re
import sys
from collections import defaultdict

from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.codec import whoosh3
from whoosh.fields import DATETIME, TEXT
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language

# An index pickles its schema, naming these classes by module; indexes written before the engine
# had a package of its own name this module so.
FORMER_MODULE = "forum.search.whoosh_fields"
# How many distinct words as written (and stems) each analyzer remembers.
WORDS_CACHED = 50_000


class SpelledText(TEXT):
    """The text fields of indexes written before suggestions came from the word list
    (spelling.py): the schema pickled in those indexes names this class, so it stays here for
    them to open (and to search until `search reindex` writes a new one)."""


class SortedDatetime(DATETIME):
    """Stored and sortable (a column) but never searched, so it writes no terms."""

    indexed = False


class CachedStemFilter(StemFilter):
    """Whoosh's StemFilter with its stems cached by functools.lru_cache."""

    def clear(self):
        stem = stemmer_for_language(self.lang) if self.lang else self.stemfn
        size = self.cachesize
        if isinstance(size, int) and size not in (0, 1):
            self._stem = functools.lru_cache(maxsize=size if size > 0 else None)(stem)
        else:
            self._stem = stem


class TextAnalyzer(CompositeAnalyzer):
    """A RegexTokenizer | LowercaseFilter | StopFilter | StemFilter chain that gives the chain's
    tokens in one loop; any other chain, or a call the loop does not cover (stop words kept,
    originals, no stemming), goes through the chain."""

    def __getstate__(self):
        return {name: value for name, value in self.__dict__.items() if name != "_terms"}

    def __call__(self, value, no_morph=False, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):  # fmt: skip
        terms = self._term_cache()
        if terms is None or no_morph or keeporiginal or not removestops or not tokenize:
            return super().__call__(value, no_morph=no_morph, positions=positions, chars=chars,
                                    keeporiginal=keeporiginal, removestops=removestops,
                                    start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, **kwargs)  # fmt: skip
        token = Token(positions, chars, removestops=True, mode=mode, **kwargs)
        return self._tokens(token, value, terms, positions, chars, start_pos, start_char)

    def _tokens(self, token, value, terms, positions, chars, start_pos, start_char):
        token.boost = 1.0
        token.stopped = False
        renumber = self.items[2].renumber
        position = None
        for n, match in enumerate(self.items[0].expression.finditer(value)):
            term = terms(match.group())
            if term is None:
                continue
            token.text = term
            if positions:
                # The stop filter renumbers from the first word it keeps.
                position = start_pos + n if position is None or not renumber else position + 1
                token.pos = position
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    def positions(self, value: str, kept: set[str] | None = None) -> dict[str, list[int]] | None:
        """Each term of `value` with its positions, as indexing reads them; None when this chain
        is not the one the loop covers. Adds the words it kept, as written, to `kept`."""
        terms = self._term_cache()
        if terms is None:
            return None
        found: dict[str, list[int]] = defaultdict(list)
        renumber = self.items[2].renumber
        position = None
        keep = kept.add if kept is not None else None
        for n, word in enumerate(map(_group, self.items[0].expression.finditer(value))):
            term = terms(word)
            if term is not None:
                position = n if position is None or not renumber else position + 1
                found[term].append(position)
                if keep is not None:
                    keep(word)
        return found

    def kept_words_are(self, tokens, shortest: int, stops) -> bool:
        """Whether the words this chain keeps are those `tokens` finds that are at least
        `shortest` long once lower-cased and not in `stops` (spelling.forms' words)."""
        chain = english_chain(self)
        if chain is None:
            return False
        expression, chain_stops, chain_shortest, longest, _, _ = chain
        return (expression.pattern == tokens.pattern and expression.flags == tokens.flags
                and chain_shortest == shortest and longest is None
                and frozenset(chain_stops) == frozenset(stops))  # fmt: skip

    def _term_cache(self):
        """word as written -> its term (None for a stop word), cached; None when the chain is
        not tokenizer, lower case, stop words, stemmer."""
        try:
            return self.__dict__["_terms"]
        except KeyError:
            terms = self.__dict__["_terms"] = _term_function(self)
            return terms


_group = re.Match.group


def english_chain(analyzer):
    """What a RegexTokenizer | Lowercase | Stop | Stem chain does, for code that walks it in
    one loop (here and the snippets' fast path): (word expression, stop words, shortest and
    longest word kept, stem function, words never stemmed); None for any other analyzer."""
    items = getattr(analyzer, "items", None)
    if not items or len(items) != 4:
        return None
    tokenizer, lower, stop, stem = items
    if not (
        type(tokenizer) is RegexTokenizer
        and not tokenizer.gaps
        and type(lower) is LowercaseFilter
        and type(stop) is StopFilter
        and isinstance(stem, StemFilter)
    ):
        return None
    return tokenizer.expression, stop.stops, stop.min, stop.max, stem._stem, stem.ignore


def _term_function(analyzer):
    chain = english_chain(analyzer)
    if chain is None:
        return None
    _, stops, shortest, longest, stemmed, ignore = chain

    @functools.lru_cache(maxsize=WORDS_CACHED)
    def term(word: str) -> str | None:
        word = word.lower()
        if len(word) < shortest or (longest is not None and len(word) > longest) or word in stops:
            return None
        return word if word in ignore else stemmed(word)

    return term


class PositionsFormat(Positions):
    """Whoosh's Positions format (the same postings), reading a TextAnalyzer's positions
    directly instead of one token at a time."""

    def word_values(self, value, analyzer, **kwargs):
        found = None
        if isinstance(analyzer, TextAnalyzer) and set(kwargs) <= {"mode"}:
            found = analyzer.positions(value)
        if found is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for word, positions in found.items():
            yield (word, len(positions), len(positions) * boost, encode(positions))


class IndexedText(TEXT):
    """A text field whose postings (with positions) are written through PositionsFormat."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if type(self.format) is Positions:
            self.format = PositionsFormat(field_boost=self.format.field_boost)


def text_analyzer(lang: str = "en") -> TextAnalyzer:
    """Whoosh's LanguageAnalyzer(lang) chain, as a TextAnalyzer with a CachedStemFilter."""
    return TextAnalyzer(
        RegexTokenizer(),
        LowercaseFilter(),
        StopFilter(lang=lang),
        CachedStemFilter(lang=lang, cachesize=WORDS_CACHED),
    )


def prepare() -> None:
    """Let indexes written under the former module name open, and make bulk writing cheaper."""
    sys.modules.setdefault(FORMER_MODULE, sys.modules[__name__])
    if whoosh3.W3PerDocReader._cached_reader is not _cached_reader:
        whoosh3.W3PerDocReader._cached_reader = _cached_reader


def _cached_reader(self, fieldname, column):
    """Whoosh 2.7.4 looks for a field's length column on disk (a stat) for every posting of a
    field that has none (ids, spelling words) while writing a segment; this remembers the
    answer."""
    try:
        return self._readers[fieldname]
    except KeyError:
        found = self.has_column(fieldname)
        reader = self._readers[fieldname] = self.column_reader(fieldname, column) if found else None
        return reader
