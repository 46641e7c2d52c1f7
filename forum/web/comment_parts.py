"""What each reader sees of their own under the comments of a page: the fillers of the
part(...) holes in templates/macros/comments.html (forum/page_parts.py). The comments themselves
are shared: kept with the page, under the prompt's version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from forum.page_parts import Fill, filler, macro
from forum.permissions import can, is_active
from forum.services import comments
from forum.web.comment_forms import KIND_BADGES, CommentForm
from forum.web.forms import FLAG_CHOICES

COMMENTS = "macros/comments.html"


@dataclass(frozen=True)
class CommentFacts:
    """What `can` and a comment's forms read of a comment."""

    id: int
    author_id: int | None
    status: str
    deleted_by_author: bool


class CommentActions(NamedTuple):
    """What the reader may do with one comment (a tuple: it keys kept variants)."""

    edit: bool
    delete: bool
    flag: bool
    hide: bool
    restore: bool


def comment_actions(person, own: bool, status: str, deleted_by_author: bool) -> CommentActions:
    facts = CommentFacts(0, person.id if own else None, status, deleted_by_author)
    return CommentActions(
        edit=can(person, "edit_comment", facts),
        delete=can(person, "delete_comment", facts),
        flag=can(person, "flag_comment", facts),
        hide=can(person, "hide") and status == "visible",
        restore=can(person, "restore_comment", facts) and status != "visible",
    )


@filler("comment_actions")
def _comment_actions(fill: Fill, ident, author_id, status, deleted_by_author, back) -> bytes:
    person = fill.person
    if person is None:
        return b""
    own = person.id == author_id
    alike = ("comment_actions", own, status, deleted_by_author, back)
    found = fill.memo(alike, lambda: _actions_variant(fill, own, status, deleted_by_author, back))
    return (b"%d" % ident).join(found)


def _actions_variant(fill: Fill, own, status, deleted_by_author, back) -> list[bytes]:
    actions = comment_actions(fill.person, own, status, deleted_by_author)
    return fill.stamped(
        ("comment_actions", *actions, status, back),
        lambda stand_in: macro(COMMENTS, "comment_actions")(
            CommentFacts(stand_in, None, status, deleted_by_author), actions, back, FLAG_CHOICES
        ),
    )


@filler("comment_form")
def _comment_form(fill: Fill, contribution_id, prompt_status, back) -> bytes | str:
    """The small form under a card; none on a locked or archived prompt, nor while suspended.
    Alike under every card of a page but for the card's id: settled once per page."""
    pieces = fill.memo(
        ("comment_form", prompt_status, back), lambda: _form_pieces(fill, prompt_status, back)
    )
    return pieces if isinstance(pieces, bytes) else (b"%d" % contribution_id).join(pieces)


def _form_pieces(fill: Fill, prompt_status, back) -> bytes | list[bytes]:
    """The comment form's text cut where a card's id goes (or the whole text, with no id)."""
    person = fill.person
    if prompt_status != "open" or (person is not None and not is_active(person)):
        return b""
    if person is None:
        key = ("comment_login", back)
        return fill.variant(key, lambda: macro(COMMENTS, "comment_login")(back))
    return fill.stamped(
        ("comment_form", back),
        lambda stand_in: macro(COMMENTS, "comment_form")(
            stand_in, CommentForm(formdata=None), back
        ),
    )


@dataclass(frozen=True)
class PageComments:
    """The comments under every card of a page, read in one query (the template asks `of`)."""

    cards: dict
    kind_badges: dict

    def of(self, contribution_id: int):
        return self.cards.get(contribution_id, comments.NO_COMMENTS)


def on_cards(cards, lister=None) -> PageComments:
    """The first comments of each of these contributions, as `lister` (None: everyone) sees them.
    Everyone sees the visible comments only, and each card counts those (`comment_count`, kept
    by the comments' service and `recount`): cards without any are not asked about, so a page
    where no card has comments (most pages) reads none."""
    asked = [c.id for c in cards if lister is not None or c.comment_count]
    return PageComments(comments.first_for_cards(asked, lister), KIND_BADGES)
