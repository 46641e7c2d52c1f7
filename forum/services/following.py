"""Following: a member watches (or mutes) a prompt, a key point, a topic, a tag, a person, or one
contribution's conversation. One subscription per member and target; following again changes its
level."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Contribution, KeyPoint, Prompt, Subscription, Tag, Topic, User
from forum.models.following import LEVELS, TARGET_TYPES
from forum.permissions import can
from forum.rendering import normalize_tag
from forum.services.errors import Forbidden, NotFound, invalid
from forum.services.paging import Page

# How each kind of target is named in the API: by id, or by its slug, name or username.
_BY_ID = {"prompt": Prompt, "key_point": KeyPoint, "contribution": Contribution}
_NAMES = {
    "topic": (Topic.id, Topic.slug),
    "tag": (Tag.id, Tag.name),
    "user": (User.id, User.username),
}
_NOT_FOUND = {
    "prompt": "No such prompt.",
    "key_point": "No such key point.",
    "topic": "No such topic.",
    "tag": "No such tag.",
    "user": "No such member.",
    "contribution": "No such contribution.",
}


@dataclass(frozen=True)
class Followed:
    """A subscription as its member sees it: the target as the API names it (`target`), and
    what a page shows of it (`label`, and `link`: the endpoint and its values)."""

    id: int
    target_type: str
    target: int | str
    level: str
    label: str
    link: tuple[str, dict] | None
    target_id: int


def _require(actor) -> None:
    if not can(actor, "follow"):
        raise Forbidden("Sign in to follow.")


def target_id(target_type, target) -> int:
    """The id of the target the API names; 422 for a malformed name, 404 for none."""
    if target_type not in TARGET_TYPES:
        raise invalid("target_type", f"Target type is one of {', '.join(TARGET_TYPES[:5])}.")
    if target_type in _BY_ID:
        if isinstance(target, bool) or not isinstance(target, int | str):
            raise invalid("target", "Give the id of the prompt, key point or contribution.")
        try:
            ident = int(target)
        except ValueError:
            raise invalid(
                "target", "Give the id of the prompt, key point or contribution."
            ) from None
        model = _BY_ID[target_type]
        found = 0 < ident < 2**31 and db.session.scalar(select(model.id).where(model.id == ident))
        if target_type == "contribution" and found:
            found = db.session.scalar(
                select(Contribution.id).where(
                    Contribution.id == ident, Contribution.status == "visible"
                )
            )
    else:
        if not isinstance(target, str) or not target.strip():
            raise invalid("target", "Give the topic's slug, the tag's name or the username.")
        ident_column, name_column = _NAMES[target_type]
        name = target.strip().lower()
        if target_type == "tag":
            name = normalize_tag(name) or ""
        found = db.session.scalar(select(ident_column).where(func.lower(name_column) == name))
    if not found:
        raise NotFound(_NOT_FOUND[target_type])
    return int(found)


def follow(actor, target_type, target, level="watching") -> Subscription:
    """Watch or mute a target (the API's name for it); again, change the level."""
    _require(actor)
    if level not in LEVELS:
        raise invalid("level", f"Level is one of {', '.join(LEVELS)}.")
    return set_level(actor, target_type, target_id(target_type, target), level)


# The targets' tables, by kind: what a page's form names by id must exist.
_TABLES = {**_BY_ID, "topic": Topic, "tag": Tag, "user": User}


def follow_by_id(actor, target_type, ident, level) -> Subscription | None:
    """A page's follow buttons: watch, mute, or (level "none") stop following a target named by
    its id; 404 when there is no such target."""
    _require(actor)
    if target_type not in _TABLES or not isinstance(ident, int) or not 0 < ident < 2**31:
        raise NotFound("Nothing to follow there.")
    model = _TABLES[target_type]
    if db.session.scalar(select(model.id).where(model.id == ident)) is None:
        raise NotFound(_NOT_FOUND[target_type])
    if level == "none":
        unfollow_target(actor, target_type, ident)
        return None
    if level not in LEVELS:
        raise invalid("level", f"Level is one of {', '.join(LEVELS)}.")
    return set_level(actor, target_type, ident, level)


def set_level(actor, target_type: str, ident: int, level: str) -> Subscription:
    """Watch or mute a target known by its id, found already."""
    _require(actor)
    subscription = _find(actor.id, target_type, ident)
    if subscription is None:
        subscription = Subscription(
            user_id=actor.id, target_type=target_type, target_id=ident, level=level
        )
        db.session.add(subscription)
        try:
            db.session.commit()
        except IntegrityError:
            # The same follow sent twice at once: the other request's row is the one.
            db.session.rollback()
            subscription = _find(actor.id, target_type, ident)
            if subscription is None:
                raise
    if subscription.level != level:
        subscription.level = level
        db.session.commit()
    return subscription


def _find(user_id: int, target_type: str, ident: int) -> Subscription | None:
    return db.session.scalar(
        select(Subscription).where(
            Subscription.user_id == user_id,
            Subscription.target_type == target_type,
            Subscription.target_id == ident,
        )
    )


def unfollow(actor, subscription_id: int) -> None:
    """Remove one of the member's own subscriptions (404 for anyone else's)."""
    _require(actor)
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None or subscription.user_id != actor.id:
        raise NotFound("No such subscription.")
    db.session.delete(subscription)
    db.session.commit()


def unfollow_target(actor, target_type: str, ident: int) -> None:
    """Stop following a target known by its id (a page's "Unfollow")."""
    _require(actor)
    subscription = _find(actor.id, target_type, ident)
    if subscription is not None:
        db.session.delete(subscription)
        db.session.commit()


def tag_id(name: str) -> int | None:
    """The id of the tag of this name (None when no such tag exists)."""
    name = normalize_tag(name)
    return db.session.scalar(select(Tag.id).where(Tag.name == name)) if name else None


def level_of(member, target_type: str, ident: int) -> str | None:
    """The member's level on one target, in one small query; None when they do not follow it."""
    if member is None:
        return None
    return db.session.scalar(
        select(Subscription.level).where(
            Subscription.user_id == member.id,
            Subscription.target_type == target_type,
            Subscription.target_id == ident,
        )
    )


def subscriptions_of(actor, page: int = 1, per_page: int = 20) -> Page:
    """A page of what the member follows, newest first, each named as the API names it."""
    _require(actor)
    query = select(Subscription).where(Subscription.user_id == actor.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        db.session.scalars(
            query.order_by(Subscription.id.desc()).limit(per_page).offset((page - 1) * per_page)
        )
    )
    return Page(subscriptions_named(rows), page, per_page, total)


def subscriptions_named(rows: list[Subscription]) -> list[Followed]:
    """The targets of these subscriptions, read with one query per kind of target."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.target_type, set()).add(row.target_id)
    found: dict[tuple[str, int], tuple[int | str, str, tuple | None]] = {}
    for kind, ids in wanted.items():
        for ident, shown in _describe(kind, sorted(ids)):
            found[(kind, ident)] = shown
    items = []
    for row in rows:
        target, label, link = found.get(
            (row.target_type, row.target_id), (row.target_id, "(no longer here)", None)
        )
        items.append(
            Followed(row.id, row.target_type, target, row.level, label, link, row.target_id)
        )
    return items


def _describe(kind: str, ids: list[int]):
    """(id, (API name, label, link)) for each target of this kind that still exists."""
    if kind == "prompt":
        for p in db.session.execute(
            select(Prompt.id, Prompt.title, Prompt.slug).where(Prompt.id.in_(ids))
        ):
            yield p.id, (p.id, p.title, ("prompts.show", {"prompt_id": p.id, "slug": p.slug}))
    elif kind == "key_point":
        for k in db.session.execute(
            select(
                KeyPoint.id,
                KeyPoint.title,
                Prompt.id.label("pid"),
                Prompt.slug,
                Prompt.title.label("pt"),
            )
            .join(Prompt, Prompt.id == KeyPoint.prompt_id)
            .where(KeyPoint.id.in_(ids))
        ):
            link = ("prompts.show", {"prompt_id": k.pid, "slug": k.slug, "key_point": k.id})
            yield k.id, (k.id, f"{k.title} (in “{k.pt}”)", link)
    elif kind == "topic":
        for t in db.session.execute(
            select(Topic.id, Topic.slug, Topic.name).where(Topic.id.in_(ids))
        ):
            yield t.id, (t.slug, t.name, ("topics.show", {"slug": t.slug}))
    elif kind == "tag":
        for t in db.session.execute(select(Tag.id, Tag.name).where(Tag.id.in_(ids))):
            yield t.id, (t.name, f"#{t.name}", ("search.results", {"tag": t.name}))
    elif kind == "user":
        for u in db.session.execute(
            select(User.id, User.username, User.display_name).where(User.id.in_(ids))
        ):
            yield u.id, (u.username, u.display_name, ("accounts.profile", {"username": u.username}))
    elif kind == "contribution":
        for c in db.session.execute(
            select(Contribution.id, Prompt.title)
            .join(Prompt, Prompt.id == Contribution.prompt_id)
            .where(Contribution.id.in_(ids))
        ):
            link = ("contributions.show", {"contribution_id": c.id})
            yield c.id, (c.id, f"A contribution to “{c.title}”", link)
