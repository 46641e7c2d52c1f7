"""The periodic work done, one row per job and slot (forum/periodic.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.types import UTCDateTime, utcnow


class PeriodicRun(db.Model):
    """A periodic job done for one of its slots (the start of the period it covers): `tick` and
    the worker skip a slot that has a row, so the same time twice does the work once."""

    __tablename__ = "periodic_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(100))
    slot: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("job", "slot", name="uq_periodic_runs_job_slot"),)
