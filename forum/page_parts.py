"""Pages in two parts: what every reader sees, rendered once per version of the content and kept,
and what is one member's own (their ratings, their vote, their name, their forms), written in on
the server for each request.

A template marks each place that depends on who is asking with `part(name, *args)`.

- Rendered as usual (`render_template`), `part` calls the filler registered under `name` at
  once, for the person asking: the page reads as if the place were written inline.
- Rendered for the shared part (`render_shared`), the template is rendered as nobody and each
  such place becomes a hole: the result is the text between the holes and, for each hole, its
  name and arguments (plain values, so the shared part can be kept in the cache). `fill` then
  writes every hole for one person with the same fillers.

So the shared part holds nothing of anyone: it is rendered with no viewer, with no messages
(those are a hole), and asking for a CSRF token while it renders is an error.

What a filler writes may be the same for many members (a rating form with 3 checked, the
contribute form): it asks `Fill.variant` with a key that names everything the text depends on,
and the text is kept with the shared part, cut where the CSRF token goes; each member's page
joins the pieces with their own token. What depends on the member themself (their name in the
header) is rendered for them each time and never kept.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from flask import g, get_template_attribute, render_template
from jinja2 import pass_context
from markupsafe import Markup

from forum.security import csrf_token as signed_csrf_token

# Marks no content can hold: a NUL character and a secret of this process, in letters only (so
# no id can be read in one). Nothing kept holds a mark: texts are cut where the marks were.
_NONCE = "".join(chr(ord("a") + byte % 26) for byte in secrets.token_bytes(16))
CSRF_MARK = f"\x00csrf-{_NONCE}\x00"
_HOLE = re.compile(f"\x00hole-{_NONCE}-(\\d+)\x00")
# The id a stamped variant is rendered for: no row has it (ids stop at 2**31 - 1, forum/urls.py)
# and no address holds it by chance or by design (16 digits, secret).
STAND_IN = 10**15 + secrets.randbelow(9 * 10**15)
# While the shared part renders, a CSRF token is refused; while a variant renders, it is a mark.
_REFUSE, _MARK = "refuse", "mark"
_CSRF, _STAND_IN = CSRF_MARK.encode(), str(STAND_IN).encode()

# A filler returns HTML: text, or UTF-8 (what Fill.variant and Fill.stamped return).
Filler = Callable[..., str | bytes]
FILLERS: dict[str, Filler] = {}


def filler(name: str) -> Callable[[Filler], Filler]:
    """Register the function that writes the hole `name`: `fn(fill, *args) -> str` (HTML)."""

    def register(fn: Filler) -> Filler:
        FILLERS[name] = fn
        return fn

    return register


def macro(template: str, name: str) -> Callable[..., str]:
    """A macro of a template, to call from Python. It sees no request context: pass it
    everything it shows."""
    return get_template_attribute(template, name)


@dataclass
class SharedPage:
    """A page as every reader sees it: `texts` around `holes` (one more text than holes), each
    hole a (filler name, arguments) pair, and the variants its fillers kept. Plain values only:
    it is kept in the cache, pickled. Texts are UTF-8 already: encoding a page of text that is
    not all ASCII on every request costs more than writing its holes."""

    texts: list[bytes]
    holes: list[tuple[str, tuple]]
    variants: dict[Hashable, Any] = field(default_factory=dict)


def render_shared(template: str, **context) -> SharedPage:
    """Render `template` as nobody, with a hole at each `part(...)`."""
    holes: list[tuple[str, tuple]] = []
    g._page_holes, g._page_csrf = holes, _REFUSE
    try:
        html = render_template(template, viewer=None, **context)
    finally:
        del g._page_holes, g._page_csrf
    pieces = _HOLE.split(html)
    texts = [text.encode() for text in pieces[0::2]]
    return SharedPage(texts, [holes[int(i)] for i in pieces[1::2]])


class Fill:
    """Writing the holes of one page for one person: `person` (None for a reader who is not
    signed in), `state` (what they did on this page, forum/services/member_state.py), the
    `shared` page whose variants to use and keep, and `extras` (a form sent back with its
    errors, say)."""

    def __init__(self, person, state, shared: SharedPage | None = None, **extras) -> None:
        self.person = person
        self.state = state
        self.shared = shared
        self.extras = extras
        self.kept_new_variants = False
        self._token: bytes | None = None
        self._ready: dict[Hashable, Any] = {}
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """`compute()` once per page and person (what `can` says of one kind of card, say)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def variant(self, key: Hashable, render: Callable[[], str]) -> bytes:
        """The text `render()` writes, kept with the shared part under `key`, which must name
        everything `render` depends on (and nothing of who the member is)."""
        if key not in self._ready:
            self._ready[key] = self._own(self._kept(key, lambda: _utf8(render()).split(_CSRF)))
        return self._ready[key]

    def stamped(self, key: Hashable, render: Callable[[int], str]) -> list[bytes]:
        """Like `variant`, for a text that differs only by an id (a card's forms): rendered once
        for a stand-in id, and returned cut where the id goes, so that joining the pieces with
        a real id (`(b"%d" % ident).join(pieces)`) writes the text for that id."""
        if key not in self._ready:
            cut = self._kept(
                key,
                lambda: [text.split(_CSRF) for text in _utf8(render(STAND_IN)).split(_STAND_IN)],
            )
            self._ready[key] = [self._own(pieces) for pieces in cut]
        return self._ready[key]

    def _kept(self, key: Hashable, render: Callable[[], Any]) -> Any:
        """What `render()` returns, kept under `key` with the shared page."""
        variants = self.shared.variants if self.shared is not None else {}
        if key not in variants:
            previous = g.get("_page_csrf")
            g._page_csrf = _MARK
            try:
                variants[key] = render()
            finally:
                g._page_csrf = previous
            self.kept_new_variants = self.shared is not None
        return variants[key]

    def _own(self, pieces: list[bytes]) -> bytes:
        """The pieces joined by the member's own CSRF token (asked only when a form needs it, so
        a reader is not handed a session)."""
        if len(pieces) == 1:
            return pieces[0]
        if self._token is None:
            self._token = signed_csrf_token().encode()
        return self._token.join(pieces)


def _utf8(text: str) -> bytes:
    return str(text).encode()


def fill(shared: SharedPage, writing: Fill) -> bytes:
    """The page for one person, as UTF-8: the shared texts with every hole written for them."""
    out = [shared.texts[0]]
    for (name, args), text in zip(shared.holes, shared.texts[1:], strict=True):
        written = FILLERS[name](writing, *args)
        out.append(written if isinstance(written, bytes) else _utf8(written))
        out.append(text)
    return b"".join(out)


@pass_context
def part(context, name: str, *args) -> Markup:
    """The Jinja global `part(name, *args)`: a hole in a shared render, else the filler's text
    for the template's viewer."""
    holes = g.get("_page_holes")
    if holes is not None:
        holes.append((name, args))
        return Markup(f"\x00hole-{_NONCE}-{len(holes) - 1}\x00")  # noqa: S704 (a mark, no input)
    if "_page_fill" not in g:
        g._page_fill = Fill(context.get("viewer"), None)
    written = FILLERS[name](g._page_fill, *args)
    if isinstance(written, bytes):
        written = written.decode()
    return Markup(written)  # noqa: S704 (fillers render templates)


def csrf_token() -> str:
    """The Jinja global `csrf_token()`: the request's token; a mark while a kept variant
    renders; an error while the shared part renders (it would hand one member's token to all)."""
    mode = g.get("_page_csrf")
    if mode == _MARK:
        return CSRF_MARK
    if mode == _REFUSE:
        raise RuntimeError("A form in the shared part of a page: put it in a part(...) hole.")
    return signed_csrf_token()
