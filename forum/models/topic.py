"""Topics: the subject areas prompts belong to."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow


def fresh_version() -> int:
    """A version no earlier state of any database is likely to have had (a database wiped and
    filled again starts from new values, not from 0 again)."""
    return secrets.randbits(52)


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Moves (to a value never used before) in the transaction of every change that may alter how
    # many rated strategies the topic holds: the totals counted under a version stay true while
    # it stands (forum/services/strategy_totals.py).
    strategies_version: Mapped[int] = mapped_column(
        BigInteger, default=fresh_version, server_default="0"
    )
