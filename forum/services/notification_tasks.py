"""The worker's part of notifications (forum/queue.py): a delivery queued after each write that
recorded events, and a sweep every five minutes for what a lost task or a worker that died left
(its claims run out after five minutes; forum/services/delivery.py)."""

from __future__ import annotations

from datetime import datetime

from forum.periodic import every, periodic
from forum.queue import task
from forum.services import notification_email
from forum.services.delivery import deliver_all


@task(name="notifications.deliver", retries=3, retry_delay=30)
def deliver_notifications() -> None:
    """Deliver every waiting notification event, then queue the emailing of what it wrote."""
    if deliver_all().notifications:
        notification_email.send_soon()


@periodic("notifications.sweep", every(minutes=5))
def sweep(slot: datetime) -> None:
    """Deliver whatever still waits (safe to run beside the tasks: events are claimed)."""
    del slot
    deliver_all()
