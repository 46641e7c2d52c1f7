"""The search query language, parsed into filters and a small expression tree.

    words  "a phrase"  AND  OR  NOT  -word  ( ... )
    topic:slug  tag:name  #name  author:username  @username  type:prompt|contribution

Field filters stand beside the words (a leading `-` excludes); the words form an expression that
each engine turns into its own query. Anything that cannot be understood is a QueryError, which
the API answers with 400 and the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forum.rendering import normalize_tag

TYPES = ("prompt", "contribution")
FIELDS = {"topic": "topic", "tag": "tag", "tags": "tag", "author": "author", "type": "type"}
MAX_QUERY = 500
MAX_TERMS = 40
# Brackets nest at most this deep: deeper nesting says nothing more and each level is work.
MAX_DEPTH = 8


class QueryError(ValueError):
    """The query cannot be parsed; the message says what is wrong."""


@dataclass(frozen=True)
class Term:
    word: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    node: object


@dataclass(frozen=True)
class And:
    """Every one of `nodes`. `soft` when the reader only put words side by side (no AND typed):
    engines may then also return hits holding most of the words, ranked below those holding all
    of them; an AND typed by the reader keeps its strict meaning."""

    nodes: tuple
    soft: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Or:
    nodes: tuple


@dataclass
class ParsedQuery:
    """What the reader asked for: an expression over the text (or None) and field filters."""

    text: object | None = None
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    exclude_topics: list[str] = field(default_factory=list)
    exclude_tags: list[str] = field(default_factory=list)
    exclude_authors: list[str] = field(default_factory=list)

    @property
    def has_filter(self) -> bool:
        return bool(self.topics or self.tags or self.authors or self.types)

    def words(self) -> list[str]:
        """Every positive word of the text, for suggestions and highlighting."""
        return list(words_of(self.text))


def words_of(node):
    """The words of an expression tree, in order, leaving out what NOT excludes."""
    if isinstance(node, Term):
        yield node.word
    elif isinstance(node, Phrase):
        yield from node.words
    elif isinstance(node, And | Or):
        for child in node.nodes:
            yield from words_of(child)


TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) |
        (?P<minus>-(?=["\w#@(])) |
        (?P<phrase>"[^"]*") |
        (?P<quote>") |
        (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)
WORD = re.compile(r"[\w][\w'’.-]*", re.UNICODE)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        if kind is None:
            continue
        if kind == "quote":
            raise QueryError('A phrase is missing its closing quote (").')
        tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens, parsed: ParsedQuery):
        self.tokens = tokens
        self.index = 0
        self.parsed = parsed
        self.depth = 0

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.index += 1
        return token

    def is_operator(self, name: str) -> bool:
        kind, value = self.peek()
        return kind == "word" and value == name

    def parse(self):
        node = self.parse_or()
        if self.index < len(self.tokens):
            kind, value = self.peek()
            raise QueryError("A closing parenthesis has no opening one." if kind == "rparen"
                             else f"Unexpected {value!r}.")  # fmt: skip
        return node

    def parse_or(self):
        nodes = [self.parse_and()]
        while self.is_operator("OR"):
            self.take()
            right = self.parse_and()
            if right is None or nodes[-1] is None:
                raise QueryError("OR needs words on both sides.")
            nodes.append(right)
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def parse_and(self):
        nodes, typed_and = [], False
        while True:
            kind, value = self.peek()
            if kind is None or kind == "rparen" or self.is_operator("OR"):
                break
            if self.is_operator("AND"):
                self.take()
                typed_and = True
                next_kind, _ = self.peek()
                if not nodes or next_kind in (None, "rparen") or self.is_operator("OR"):
                    raise QueryError("AND needs words on both sides.")
                following = self.parse_unary()
                if following is None:
                    raise QueryError("AND needs words on both sides.")
                nodes.append(following)
                continue
            node = self.parse_unary()
            if node is not None:
                nodes.append(node)
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes), soft=not typed_and)

    def parse_unary(self):
        kind, value = self.peek()
        if self.is_operator("NOT") or kind == "minus":
            self.take()
            if self.is_operator("AND") or self.is_operator("OR") or self.peek()[0] is None:
                raise QueryError("NOT (or -) needs a word after it.")
            inner_kind, inner_value = self.peek()
            if inner_kind == "word" and self._field(inner_value, negate=True):
                self.take()
                return None
            node = self.parse_unary()
            if node is None:
                raise QueryError("NOT (or -) needs a word after it.")
            return Not(node)
        return self.parse_atom()

    def parse_atom(self):
        kind, value = self.take()
        if kind is None:
            raise QueryError("The query ends where a word was expected.")
        if kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"Brackets nest at most {MAX_DEPTH} deep.")
            node = self.parse_or()
            if self.take()[0] != "rparen":
                raise QueryError("A parenthesis is not closed.")
            self.depth -= 1
            if node is None:
                raise QueryError("Empty parentheses.")
            return node
        if kind == "rparen":
            raise QueryError("A closing parenthesis has no opening one.")
        if value in ("AND", "OR"):
            raise QueryError(f"{value} needs words on both sides.")
        if kind == "phrase":
            words = tuple(w.lower() for w in WORD.findall(value[1:-1]))
            if not words:
                return None
            return Term(words[0]) if len(words) == 1 else Phrase(words)
        if self._field(value, negate=False):
            return None
        words = [w.lower() for w in WORD.findall(value)]
        if not words:
            return None
        if len(words) == 1:
            return Term(words[0])
        return Phrase(tuple(words))

    def _field(self, value: str, *, negate: bool) -> bool:
        """Record a field filter; False when the token is an ordinary word."""
        if value.startswith("#") and len(value) > 1:
            name, raw = "tag", value[1:]
        elif value.startswith("@") and len(value) > 1:
            name, raw = "author", value[1:]
        else:
            prefix, sep, raw = value.partition(":")
            name = FIELDS.get(prefix.lower()) if sep else None
            if name is None:
                return False
            if not raw:
                raise QueryError(f"{prefix}: needs a value, as in {prefix}:something.")
        if self.depth:
            raise QueryError("Field filters go beside the words, not inside parentheses.")
        self._record(name, raw, negate)
        return True

    def _record(self, name: str, raw: str, negate: bool) -> None:
        p = self.parsed
        if name == "type":
            value = raw.lower()
            if value not in TYPES:
                raise QueryError(f"type: is prompt or contribution, not {raw!r}.")
            if negate:
                p.types.extend(t for t in TYPES if t != value)
            else:
                p.types.append(value)
        elif name == "tag":
            tag = normalize_tag(raw)
            if tag is None:
                raise QueryError(f"{raw!r} is not a tag name.")
            (p.exclude_tags if negate else p.tags).append(tag)
        elif name == "topic":
            (p.exclude_topics if negate else p.topics).append(raw.lower())
        else:
            (p.exclude_authors if negate else p.authors).append(raw.lower())


def parse(q: str | None, **params: str | None) -> ParsedQuery:
    """Parse the reader's query; filters may also come as parameters (topic, tag, author, type)."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise QueryError(f"A query has at most {MAX_QUERY} characters.")
    parsed = ParsedQuery()
    tokens = _tokens(q)
    if len([t for t in tokens if t[0] in ("word", "phrase")]) > MAX_TERMS:
        raise QueryError(f"A query has at most {MAX_TERMS} words.")
    parser = _Parser(tokens, parsed)
    parsed.text = parser.parse()
    if parsed.text is not None and not parsed.words():
        raise QueryError("A query needs at least one word that is not excluded.")
    for name in ("topic", "tag", "author", "type"):
        value = (params.get(name) or "").strip()
        if value:
            parser._record(name, value.lstrip("#@"), negate=False)
    return parsed
