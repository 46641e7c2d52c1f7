"""The record of periodic work done (`periodic_runs`, one row per job and slot): what
forum/periodic.py reads before a job and writes after it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models.periodic import PeriodicRun


def is_done(job: str, slot: datetime) -> bool:
    """Whether `job` was done for `slot`."""
    done = select(PeriodicRun.id).where(PeriodicRun.job == job, PeriodicRun.slot == slot)
    return db.session.scalar(done) is not None


def record(job: str, slot: datetime) -> None:
    """`job` is done for `slot` (committed). Recorded meanwhile by another tick: nothing to do,
    periodic jobs are safe to run twice."""
    db.session.add(PeriodicRun(job=job, slot=slot))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def forget_before(cutoff: datetime) -> int:
    """Forget the work done for slots before `cutoff` (committed): how many records."""
    result = db.session.execute(delete(PeriodicRun).where(PeriodicRun.slot < cutoff))
    db.session.commit()
    return result.rowcount or 0
