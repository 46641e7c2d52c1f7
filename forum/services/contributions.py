"""Contributions: post, edit (keeping revisions), soft delete, list and read."""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import lazyload

from forum.extensions import db
from forum.id_lists import one_of
from forum.models import Contribution, KeyPoint, Prompt, Revision
from forum.models.types import utcnow
from forum.permissions import can
from forum.ranking import FAIR_MAX_RATINGS, place_fair_exposure
from forum.rendering import extract_hashtags, render_markdown
from forum.services import audit
from forum.services.errors import Conflict, Forbidden, NotFound, invalid
from forum.services.mention_links import mention_links
from forum.services.paging import Page
from forum.services.tags import tags_named


def _clean_body(body) -> str:
    if not isinstance(body, str) or not body.strip():
        raise invalid("body", "Write something: the body cannot be empty.")
    body = body.strip()
    limit = current_app.config["LIMIT_BODY"]
    if len(body) > limit:
        raise invalid("body", f"Use at most {limit} characters (this has {len(body)}).")
    return body


def _set_body(contribution: Contribution, body: str) -> None:
    contribution.body = body
    contribution.body_html = render_markdown(body, mention_links(body))
    contribution.tags = tags_named(extract_hashtags(body)[: current_app.config["LIMIT_TAGS"]])


def _require_open(prompt: Prompt) -> None:
    if prompt.status != "open":
        raise Conflict(f"This prompt is {prompt.status}: it takes no new contributions or edits.")


def create_contribution(actor, prompt: Prompt, body, key_point_id=None) -> Contribution:
    """A member shares an experience under an open prompt, optionally answering one key point."""
    if not can(actor, "contribute"):
        raise Forbidden("Your account cannot contribute right now.")
    _require_open(prompt)
    body = _clean_body(body)
    if key_point_id is not None and key_point_id not in {kp.id for kp in prompt.key_points}:
        raise invalid("key_point_id", "That key point is not part of this prompt.")
    contribution = Contribution(
        prompt_id=prompt.id,
        key_point_id=key_point_id,
        author_id=actor.id,
        author_name=actor.display_name,
    )
    _set_body(contribution, body)
    db.session.add(contribution)
    now = utcnow()
    db.session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id)
        .values(contribution_count=Prompt.contribution_count + 1, last_activity_at=now)
    )
    db.session.commit()
    return contribution


def edit_contribution(actor, contribution: Contribution, body) -> Contribution:
    """Change the body; the previous body is kept as a revision."""
    if not can(actor, "edit_contribution", contribution):
        raise Forbidden("Only the author or a moderator can edit this.")
    if not can(actor, "edit_prompt"):
        _require_open(contribution.prompt)
    body = _clean_body(body)
    if body == contribution.body:
        return contribution
    db.session.add(
        Revision(
            contribution_id=contribution.id,
            body=contribution.body,
            editor_id=actor.id,
            editor_name=actor.display_name,
            edited_at=contribution.edited_at or contribution.created_at,
        )
    )
    _set_body(contribution, body)
    contribution.edited_at = utcnow()
    if actor.id != contribution.author_id:
        audit.record(actor, "edit_contribution", "contribution", contribution.id)
    db.session.commit()
    return contribution


def delete_contribution(actor, contribution: Contribution, reason: str = "") -> None:
    """Soft delete: the row stays (ratings and history survive) but nobody sees it."""
    if not can(actor, "delete_contribution", contribution):
        raise Forbidden("Only the author or a moderator can delete this.")
    if contribution.status == "deleted":
        return
    by_author = actor.id == contribution.author_id
    set_status(contribution, "deleted", by_author=by_author)
    if not by_author:
        audit.record(actor, "delete", "contribution", contribution.id, reason)
    db.session.commit()


def set_status(contribution: Contribution, status: str, *, by_author: bool = False) -> None:
    """Change visibility and keep the prompt's count of visible contributions (no commit).
    `by_author`: the author deletes it (and then only the author may restore it)."""
    was_visible = contribution.status == "visible"
    contribution.status = status
    contribution.deleted_by_author = status == "deleted" and by_author
    delta = (status == "visible") - was_visible
    if delta:
        db.session.execute(
            update(Prompt)
            .where(Prompt.id == contribution.prompt_id)
            .values(contribution_count=Prompt.contribution_count + delta)
        )


def is_author_of(user, contribution_id: int) -> bool:
    """Whether `user` wrote this contribution (False when there is no such contribution)."""
    author_id = db.session.scalar(
        select(Contribution.author_id).where(Contribution.id == contribution_id)
    )
    return user is not None and author_id is not None and author_id == user.id


_BARE = (lazyload(Contribution.tags), lazyload(Contribution.source))


def get_contribution(viewer, contribution_id: int) -> Contribution:
    """A contribution the viewer may see; hidden and deleted ones are 404 to everyone else."""
    # Its tags and source are read if the caller needs them: rating it needs neither.
    contribution = db.session.get(Contribution, contribution_id, options=_BARE)
    if contribution is None or not can(viewer, "read_contribution", contribution):
        raise NotFound("No such contribution.")
    return contribution


def list_revisions(contribution: Contribution) -> list[Revision]:
    return list(contribution.revisions)


def load_in_order(ids: list[int], *options) -> list[Contribution]:
    """Rows for these ids, in the order given (loaded with `options`); one that is gone is left
    out."""
    if not ids:
        return []
    statement = select(Contribution).where(one_of(Contribution.id, "ids")).options(*options)
    rows = db.session.scalars(statement, {"ids": ids}).unique()
    by_id = {c.id: c for c in rows}
    return [by_id[i] for i in ids if i in by_id]


def _shown_to(viewer):
    """Which contributions a prompt page lists: the visible ones; for a moderator (not while
    suspended) also the hidden ones; for an author also their own hidden ones (with the
    reason). Never the deleted."""
    if viewer is None:
        return Contribution.status == "visible"
    if can(viewer, "read_hidden"):
        return Contribution.status.in_(("visible", "hidden"))
    own_hidden = and_(Contribution.status == "hidden", Contribution.author_id == viewer.id)
    return or_(Contribution.status == "visible", own_hidden)


_NARROW = (Contribution.id, Contribution.rating_count, Contribution.created_at,
           Contribution.status, Contribution.key_point_id)  # fmt: skip


def _ordered(
    prompt: Prompt, sort: str, key_point_id, viewer=None, whole: bool = False
) -> tuple[list, int | None]:
    """Every contribution of the prompt the viewer may see listed (see `_shown_to`) as narrow
    (id, count, created, status) rows, in order, and the id placed in the fair-exposure slot.
    Reads only the index, not the bodies; `whole`: the contributions themselves instead."""
    query = select(Contribution) if whole else select(*_NARROW)
    query = query.where(Contribution.prompt_id == prompt.id, _shown_to(viewer))
    if key_point_id is not None:
        query = query.where(Contribution.key_point_id == key_point_id)
    if sort == "newest":
        query = query.order_by(Contribution.created_at.desc(), Contribution.id.desc())
    elif sort == "oldest":
        query = query.order_by(Contribution.created_at, Contribution.id)
    else:
        query = query.order_by(
            Contribution.score.desc(), Contribution.rating_count.desc(), Contribution.id
        )
    rows = (db.session.scalars(query).unique() if whole else db.session.execute(query)).all()
    if sort != "useful":
        return rows, None
    candidates = sorted(
        (r for r in rows if r.rating_count < FAIR_MAX_RATINGS and r.status == "visible"),
        key=lambda r: (r.created_at, r.id),
        reverse=True,
    )
    rows, chosen = place_fair_exposure(rows, candidates, key=lambda r: r.id)
    return rows, chosen.id if chosen is not None else None


def list_for_prompt(
    prompt: Prompt, *, sort="useful", key_point_id=None, page=1, per_page=50, viewer=None
) -> tuple[Page, int | None]:
    """One page of a prompt's visible contributions, and the id placed in the fair-exposure slot.
    With a `viewer`, hidden ones they may see are listed too (the page marks them).

    Ordering reads only the narrow rows through the index; full rows are loaded for the page.
    A prompt whose contributions all fit on the first page (most prompts) has them read whole
    and in order at once: one statement, not two.
    """
    if page == 1 and prompt.contribution_count <= per_page:
        rows, new_id = _ordered(prompt, sort, key_point_id, viewer, whole=True)
        return Page(rows[:per_page], page, per_page, len(rows)), new_id
    rows, new_id = _ordered(prompt, sort, key_point_id, viewer)
    ids = [r.id for r in rows[(page - 1) * per_page : page * per_page]]
    return Page(load_in_order(ids), page, per_page, len(rows)), new_id


class KeyPointGroup(NamedTuple):
    """The contributions answering one key point (`key_point` None: answering none of them):
    how many there are, and the best of them, in the ranked order."""

    key_point: KeyPoint | None
    total: int
    items: list[Contribution]


def grouped_by_key_point(
    prompt: Prompt, *, per_group: int = 3, viewer=None
) -> tuple[list[KeyPointGroup], int | None, int]:
    """The prompt's contributions under the key point each answers, in the key points' order
    and then those answering none (a group only when there are some): the groups, the id
    placed in the fair-exposure slot, and how many contributions there are in all. One ordered
    read of the narrow rows, one load of the cards shown."""
    rows, new_id = _ordered(prompt, "useful", None, viewer)
    known = {kp.id for kp in prompt.key_points}
    ids_of: dict[int | None, list[int]] = {}
    for row in rows:
        point = row.key_point_id if row.key_point_id in known else None
        ids_of.setdefault(point, []).append(row.id)
    shown = [i for ids in ids_of.values() for i in ids[:per_group]]
    loaded = {c.id: c for c in load_in_order(shown)}

    def group(key_point: KeyPoint | None) -> KeyPointGroup:
        ids = ids_of.get(key_point.id if key_point else None, [])
        return KeyPointGroup(key_point, len(ids), [loaded[i] for i in ids[:per_group]])

    groups = [group(kp) for kp in prompt.key_points]
    if None in ids_of:
        groups.append(group(None))
    return groups, new_id, len(rows)


def page_containing(contribution: Contribution, per_page: int, sort: str = "useful") -> int:
    """The page of the prompt's listing on which this contribution appears (1 when hidden)."""
    rows, _ = _ordered(contribution.prompt, sort, None)
    position = next((i for i, r in enumerate(rows) if r.id == contribution.id), 0)
    return position // per_page + 1
