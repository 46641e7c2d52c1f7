"""The audit log: every moderator and admin action, written in the action's own transaction,
and read back as sentences ("maria hid kofi's contribution on 'What helps…': names a client"),
filtered by who acted, what they did and when. The log names accounts by username, never by
display name: a display name may look like someone else's, a username cannot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Comment, Contribution, ModerationAction, Prompt, Topic, User

# What each action reads as in a sentence (its verb, before what it was done to), and its name
# in the log's filter. Actions not listed (older or newer ones) read as their own name.
VERBS = {
    "hide": "hid",
    "restore": "restored",
    "delete": "deleted",
    "feature": "featured",
    "unfeature": "unfeatured",
    "flag_dismiss": "dismissed the flags on",
    "flag_hide": "upheld the flags and hid",
    "flag_delete": "upheld the flags and deleted",
    "redact": "removed earlier text of",
    "edit_contribution": "edited",
    "edit_comment": "edited",
    "suspend": "suspended",
    "unsuspend": "lifted the suspension of",
    "purge": "purged",
    "set_role": "changed the role of",
    "create_topic": "created the topic",
    "create_prompt": "wrote the prompt",
    "edit_prompt": "edited the prompt",
    "status_locked": "locked the prompt",
    "status_open": "reopened the prompt",
    "status_archived": "archived the prompt",
}
ACTION_LABELS = {
    "hide": "Hide",
    "restore": "Restore",
    "delete": "Delete",
    "feature": "Feature",
    "unfeature": "Unfeature",
    "flag_dismiss": "Dismiss flags",
    "flag_hide": "Hide on flags",
    "flag_delete": "Delete on flags",
    "redact": "Redact",
    "edit_contribution": "Edit a contribution",
    "edit_comment": "Edit a comment",
    "suspend": "Suspend",
    "unsuspend": "Lift a suspension",
    "purge": "Purge",
    "set_role": "Change a role",
    "create_topic": "Create a topic",
    "create_prompt": "Write a prompt",
    "edit_prompt": "Edit a prompt",
    "status_locked": "Lock a prompt",
    "status_open": "Reopen a prompt",
    "status_archived": "Archive a prompt",
}
TITLE_CHARS = 40


@dataclass
class LogFilters:
    """Who acted (an account id), what they did (an action) and from / to which day (UTC,
    both included). None: any."""

    actor_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass
class LogEntry:
    """One line of the log as a sentence: "<actor> <verb> <whose>'s <noun> on '<title>':
    <reason>", accounts by username. `target` is what a link goes to (None when it no longer
    exists)."""

    line: ModerationAction
    actor: str
    verb: str
    whose: str | None
    noun: str
    title: str | None
    target: object | None
    reason: str


def record(actor, action: str, target_type: str, target_id: int, reason: str = "") -> None:
    """Add one log line to the current unit of work (the calling service commits)."""
    db.session.add(
        ModerationAction(
            actor_id=actor.id if actor is not None else None,
            actor_name=actor.username if actor is not None else "command line",
            action=action,
            target_type=target_type,
            target_id=target_id,
            reason=(reason or "")[:2000],
        )
    )


def page_of_log(
    page: int, per_page: int, filters: LogFilters | None = None
) -> tuple[list[ModerationAction], int]:
    """A page of the log, newest first, with only the lines the filters keep."""
    where = _conditions(filters or LogFilters())
    total = db.session.scalar(select(func.count(ModerationAction.id)).where(*where))
    rows = db.session.scalars(
        select(ModerationAction)
        .where(*where)
        .order_by(ModerationAction.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def _conditions(filters: LogFilters) -> list:
    where = []
    if filters.actor_id is not None:
        where.append(ModerationAction.actor_id == filters.actor_id)
    if filters.action:
        where.append(ModerationAction.action == filters.action)
    if filters.since is not None:
        where.append(ModerationAction.created_at >= datetime.combine(filters.since, time.min, UTC))
    if filters.until is not None:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, UTC)
        where.append(ModerationAction.created_at < end)
    return where


def actors() -> list[User]:
    """The accounts that have a line in the log, by username: whom the log filters by."""
    ids = select(ModerationAction.actor_id).where(ModerationAction.actor_id.is_not(None))
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(ids.distinct())).order_by(User.username)
        ).unique()
    )


def entries(rows: list[ModerationAction]) -> list[LogEntry]:
    """The lines as sentences, with what each acted on loaded in a few queries per page."""
    ids: dict[str, set[int]] = {}
    for row in rows:
        ids.setdefault(row.target_type, set()).add(row.target_id)
    contributions = _by_id(
        select(Contribution)
        .options(selectinload(Contribution.prompt))
        .where(Contribution.id.in_(ids.get("contribution", ())))
    )
    comments = _by_id(
        select(Comment)
        .options(selectinload(Comment.contribution).selectinload(Contribution.prompt))
        .where(Comment.id.in_(ids.get("comment", ())))
    )
    prompts = _by_id(select(Prompt).where(Prompt.id.in_(ids.get("prompt", ()))))
    topics = _by_id(select(Topic).where(Topic.id.in_(ids.get("topic", ()))))
    actor_ids = {row.actor_id for row in rows if row.actor_id is not None}
    users = _by_id(select(User).where(User.id.in_(ids.get("user", set()) | actor_ids)))
    found = {
        "contribution": contributions,
        "comment": comments,
        "prompt": prompts,
        "topic": topics,
        "user": users,
    }
    return [_entry(row, found.get(row.target_type, {}).get(row.target_id), users) for row in rows]


def _by_id(query) -> dict:
    return {item.id: item for item in db.session.scalars(query).unique()}


def _entry(row: ModerationAction, target, users: dict[int, User]) -> LogEntry:
    actor = users.get(row.actor_id)
    whose, title = None, None
    noun = row.target_type if target is None else ""
    if isinstance(target, Contribution | Comment):
        whose = _name(target.author) or target.author_name or "a former member"
        noun = "contribution" if isinstance(target, Contribution) else "comment"
        prompt = target.prompt if isinstance(target, Contribution) else target.contribution.prompt
        title = short(prompt.title)
    elif isinstance(target, Prompt):
        title = short(target.title)
    elif isinstance(target, Topic):
        title = target.name
    elif isinstance(target, User):
        noun = target.username
    return LogEntry(
        line=row,
        actor=_name(actor) or row.actor_name,
        verb=VERBS.get(row.action, row.action.replace("_", " ")),
        whose=whose,
        noun=noun,
        title=title,
        target=target,
        reason=row.reason or "",
    )


def _name(user: User | None) -> str | None:
    return user.username if user is not None else None


def short(title: str, limit: int = TITLE_CHARS) -> str:
    """A title cut after a whole word near `limit` characters, with an ellipsis."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return (cut or title[:limit]) + "…"


def usernames_of(rows: list[ModerationAction]) -> dict[int, str]:
    """The current usernames of the accounts these lines act on, for linking to profiles."""
    ids = {row.target_id for row in rows if row.target_type == "user"}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
