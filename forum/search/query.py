"""The search query language, parsed into filters and a small expression tree.

    words  "a phrase"  AND  OR  NOT  -word  ( ... )
    topic:slug  tag:name  #name  author:username  @username  type:prompt|contribution

Field filters stand beside the words, wherever they are typed (a leading `-` excludes); the words
form an expression that each engine turns into its own query.

What people type is never refused: the parser is lenient. A stray quote, a bracket without its
partner, empty brackets and an operator with nothing to join (AND, OR, NOT, -) are read as plain
text or left out; brackets nested deeper than MAX_DEPTH are flattened; a text longer than
MAX_QUERY characters is cut. Well-formed syntax keeps its meaning. The only QueryError is an
impossible field value (`type:other`, `tag:` with what cannot be a tag name), which the API
answers with 400 and the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forum.rendering import normalize_tag

TYPES = ("prompt", "contribution")
FIELDS = {"topic": "topic", "tag": "tag", "tags": "tag", "author": "author", "type": "type"}
# Characters read of a query: the rest is cut, not refused (the request line is the real limit).
MAX_QUERY = 3000
MAX_TERMS = 40  # words an engine reads; a longer query keeps its most telling (bounds.telling)
# Brackets nest at most this deep (deeper ones are flattened: they say nothing more).
MAX_DEPTH = 8
OPERATORS = ("AND", "OR", "NOT")
TRAILING = ".,;:!?"  # what may end a field value typed in a sentence ("#listening,")


class QueryError(ValueError):
    """An impossible field value; the message says what is wrong."""


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


def group(like, nodes):
    """A node of the kind of `like` (an And keeps its `soft`) over the nodes that are not None;
    None without any, the node itself with one."""
    kept = tuple(n for n in nodes if n is not None)
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return And(kept, soft=like.soft) if isinstance(like, And) else type(like)(kept)


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
    """The tokens of the text; a quote without its partner is left out (what follows it is read
    as words), and so are brackets without theirs and those nested past MAX_DEPTH."""
    found = ((m.lastgroup, m.group(m.lastgroup)) for m in TOKEN.finditer(text) if m.lastgroup)
    return _balanced([token for token in found if token[0] != "quote"])


def _balanced(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    partner, opened = {}, []
    for index, (kind, _) in enumerate(tokens):
        if kind == "lparen":
            opened.append(index)
        elif kind == "rparen" and opened:
            partner[opened.pop()] = index
    kept, depth, closing = [], 0, set()
    for index, token in enumerate(tokens):
        if token[0] == "lparen" and index in partner and depth < MAX_DEPTH:
            depth += 1
            closing.add(partner[index])
        elif token[0] == "rparen" and index in closing:
            depth -= 1
        elif token[0] in ("lparen", "rparen"):
            continue  # unbalanced, or flattened
        kept.append(token)
    return kept


class _Parser:
    def __init__(self, tokens, parsed: ParsedQuery):
        self.tokens = tokens
        self.index = 0
        self.parsed = parsed

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.index += 1
        return token

    def is_operator(self, *names: str) -> bool:
        kind, value = self.peek()
        return kind == "word" and value in names

    def parse(self):
        nodes = [self.parse_or()]
        while self.take()[0] is not None:  # only a closing bracket stops early: none is left
            nodes.append(self.parse_or())
        return group(And((), soft=True), nodes)

    def parse_or(self):
        # An OR with nothing on one side joins nothing: the other side stands alone.
        branches = [self.parse_and()]
        while self.is_operator("OR"):
            self.take()
            branches.append(self.parse_and())
        return group(Or(()), branches)

    def parse_and(self):
        nodes, typed_and, joining = [], False, False
        while True:
            kind, _ = self.peek()
            if kind in (None, "rparen") or self.is_operator("OR"):
                break
            if self.is_operator("AND"):
                self.take()
                joining = joining or bool(nodes)  # a leading AND joins nothing
                continue
            node = self.parse_unary()
            if node is not None:
                typed_and, joining = typed_and or joining, False
                nodes.append(node)
        return group(And((), soft=not typed_and), nodes)

    def parse_unary(self):
        negations = 0
        while self.is_operator("NOT") or self.peek()[0] == "minus":
            self.take()
            negations += 1
        if not negations:
            return self.parse_atom()
        kind, value = self.peek()
        if kind in (None, "rparen") or self.is_operator(*OPERATORS):
            return None  # a NOT (or -) with nothing after it excludes nothing
        if kind == "word" and self._field(value, negate=negations % 2 == 1):
            self.take()
            return None
        node = self.parse_atom()
        return Not(node) if node is not None and negations % 2 else node

    def parse_atom(self):
        kind, value = self.take()
        if kind == "lparen":
            node = self.parse_or()  # None for empty brackets
            if self.peek()[0] == "rparen":
                self.take()
            return node
        if kind == "phrase":
            words = tuple(w.lower() for w in WORD.findall(value[1:-1]))
        elif kind != "word" or value in OPERATORS or self._field(value, negate=False):
            return None
        else:
            words = tuple(w.lower() for w in WORD.findall(value))
        if not words:
            return None
        return Term(words[0]) if len(words) == 1 else Phrase(words)

    def _field(self, value: str, *, negate: bool) -> bool:
        """Record a field filter; False when the token is read as ordinary text."""
        if value[:1] in ("#", "@"):
            name, raw = ("tag" if value[0] == "#" else "author"), value[1:].rstrip(TRAILING)
            # "#1" or "C#" in a pasted sentence is text, not a tag.
            if not raw or (name == "tag" and normalize_tag(raw) is None):
                return False
        else:
            prefix, sep, raw = value.partition(":")
            name, raw = FIELDS.get(prefix.lower()) if sep else None, raw.rstrip(TRAILING)
            if name is None or not raw:  # "Topic: ..." in a sentence is a word
                return False
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
                raise QueryError(
                    f"{raw!r} is not a tag name (a letter, then letters, digits, - or _)."
                )
            (p.exclude_tags if negate else p.tags).append(tag)
        elif name == "topic":
            (p.exclude_topics if negate else p.topics).append(raw.lower())
        else:
            (p.exclude_authors if negate else p.authors).append(raw.lower())


def _readable(node):
    """The expression without OR branches that only exclude: such a branch matches nearly
    everything and says nothing the reader wants."""
    if isinstance(node, Not):
        inner = _readable(node.node)
        return None if inner is None else Not(inner)
    if isinstance(node, And | Or):
        nodes = [_readable(child) for child in node.nodes]
        if isinstance(node, Or):
            nodes = [n for n in nodes if n is not None and any(words_of(n))]
        return group(node, nodes)
    return node


def parse(q: str | None, **params: str | None) -> ParsedQuery:
    """Parse the reader's query; filters may also come as parameters (topic, tag, author, type).
    A text with no word left (only punctuation, only excluded words) has text None."""
    q = (q or "").strip()[:MAX_QUERY]
    parsed = ParsedQuery()
    parser = _Parser(_tokens(q), parsed)
    text = _readable(parser.parse())
    # Only excluded words (or none at all): nothing to search for.
    parsed.text = text if text is not None and any(words_of(text)) else None
    for name in ("topic", "tag", "author", "type"):
        value = (params.get(name) or "").strip()
        if value:
            parser._record(name, value.lstrip("#@"), negate=False)
    return parsed
