"""Who contributed to a prompt: the members whose visible contributions it lists, most
contributions first, for the side rail of the prompt's page."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Contribution, User

# How many names the rail shows; the rest are counted.
SHOWN = 12


class Contributor(NamedTuple):
    user: User
    count: int  # their visible contributions to the prompt


class Contributors(NamedTuple):
    shown: list[Contributor]
    total: int  # members with a visible contribution, shown or not


def of_prompt(prompt_id: int, shown: int = SHOWN) -> Contributors:
    """The members with a visible contribution to the prompt (one query for the names, and one
    for the count when there are more than the names shown); accounts that are gone are not
    listed."""
    count = func.count(Contribution.id)
    visible = (
        Contribution.prompt_id == prompt_id,
        Contribution.status == "visible",
        Contribution.author_id.is_not(None),
    )
    rows = db.session.execute(
        select(User, count)
        .join(Contribution, Contribution.author_id == User.id)
        .where(*visible)
        .group_by(User.id)
        .order_by(count.desc(), func.min(Contribution.created_at), User.id)
        .limit(shown)
    ).all()
    if len(rows) < shown:  # every one of them is listed: nothing more to count
        return Contributors([Contributor(user, n) for user, n in rows], len(rows))
    total = db.session.execute(
        select(func.count(func.distinct(Contribution.author_id))).where(*visible)
    ).scalar_one()
    return Contributors([Contributor(user, n) for user, n in rows], total)
