"""Check-ins: when a saved strategy's reminder date has passed and its member has reported no
outcome of it, the member is asked how it went, once ("How did it go with Tom's strategy on
'...'?", a `checkin` notification leading to the outcome form).

The periodic job `playbook.checkins` (every 15 minutes) marks the due saves (`checkin_at`) and
writes one `checkin` notification event per save in the same transaction, so a crash leaves
either both or neither, and a tick run twice finds nothing left to raise. The worker delivers
each event to the saver alone (forum/services/delivery.py), as long as the strategy is still in
their playbook. Reporting an outcome before the date, or removing the strategy, means no
check-in (the query's NOT EXISTS; the deleted row); an outcome reported after it hides the
check-in from the inbox (forum/services/inbox.py).
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import has_app_context
from sqlalchemy import exists, insert, select, update
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import Contribution, NotificationEvent, Outcome, SavedStrategy
from forum.models.types import utcnow
from forum.periodic import every, periodic
from forum.services import notification_tasks

log = logging.getLogger(__name__)

JOB = "playbook.checkins"
BATCH = 500  # saves marked and their events written in one transaction


@periodic(JOB, every(minutes=15))
def raise_due_checkins(slot: datetime) -> None:
    """The check-ins whose reminder date is at or before the slot."""
    raise_checkins(slot)


def _due(at: datetime):
    """The saves whose check-in is due at `at`: reminder passed, not raised yet, the
    contribution still visible, and no outcome reported by that member on it. (An alias: the
    UPDATE it sits in names the table itself.)"""
    save = aliased(SavedStrategy)
    reported = exists().where(
        Outcome.user_id == save.user_id, Outcome.contribution_id == save.contribution_id
    )
    return (
        select(save.id)
        .join(Contribution, Contribution.id == save.contribution_id)
        .where(
            save.checkin_at.is_(None),
            save.remind_at <= at,
            Contribution.status == "visible",
            ~reported,
        )
        .order_by(save.remind_at, save.id)
        .limit(BATCH)
    )


def raise_checkins(at: datetime) -> int:
    """Raise every check-in due at `at`; how many were raised. Commits once per batch."""
    raised = 0
    while True:
        now = utcnow()
        # The UPDATE's own condition again: a save another worker marked meanwhile is skipped
        # (on PostgreSQL the second waits for the first and finds checkin_at set).
        marked = db.session.execute(
            update(SavedStrategy)
            .where(SavedStrategy.id.in_(_due(at)))
            .where(SavedStrategy.checkin_at.is_(None))
            .values(checkin_at=now)
            .returning(SavedStrategy.user_id, SavedStrategy.contribution_id)
            .execution_options(synchronize_session=False)
        ).all()
        if marked:
            db.session.execute(
                insert(NotificationEvent.__table__),
                [
                    {
                        "kind": "checkin",
                        # The saver: the one member a check-in reaches.
                        "actor_id": row.user_id,
                        "contribution_id": row.contribution_id,
                        "reason": "",
                        "created_at": now,
                    }
                    for row in marked
                ],
            )
        db.session.commit()
        raised += len(marked)
        if len(marked) < BATCH:
            break
    if raised and has_app_context():
        try:
            notification_tasks.deliver_notifications.enqueue()
        except Exception:  # noqa: BLE001 - the sweep delivers them
            log.exception("check-ins: queueing delivery failed; the sweep will deliver")
    return raised
