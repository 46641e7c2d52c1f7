"""The record of every email sent (`sent_mail`): claims written and committed before a message
goes to the server, so a key is sent at most once (forum/mail.py, `send_once`, `send_batch`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models.mail import SentMail
from forum.models.types import utcnow


def claimed_keys(prefix: str) -> set[str]:
    """The keys starting with `prefix` claimed so far (sent, or being sent)."""
    keys = set(db.session.scalars(select(SentMail.key).where(SentMail.key.startswith(prefix))))
    db.session.rollback()
    return keys


def claim(rows: Sequence[dict]) -> set[str]:
    """Claim each row's `key` (rows of key, message_id, recipient, subject) in one transaction,
    committed: the keys claimed now. A key claimed before, here or by another worker, is left
    out: its email is sent, or being sent, elsewhere."""
    if not rows:
        return set()
    keys = [row["key"] for row in rows]
    taken = set(db.session.scalars(select(SentMail.key).where(SentMail.key.in_(keys))))
    fresh = [row for row in rows if row["key"] not in taken]
    if not fresh:
        db.session.rollback()
        return set()
    now = utcnow()
    try:
        db.session.execute(
            insert(SentMail),
            [{**row, "subject": row["subject"][:200], "created_at": now} for row in fresh],
        )
        db.session.commit()
    except IntegrityError:  # another worker claimed one of them meanwhile: one at a time
        db.session.rollback()
        return {row["key"] for row in fresh if claim_one(row)}
    return {row["key"] for row in fresh}


def claim_one(row: dict) -> bool:
    try:
        db.session.execute(insert(SentMail), [{**row, "subject": row["subject"][:200]}])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def mark_sent(keys: Sequence[str]) -> None:
    """The server accepted these emails."""
    if keys:
        db.session.execute(
            update(SentMail)
            .where(SentMail.key.in_(list(keys)))
            .values(status="sent", sent_at=utcnow())
        )
        db.session.commit()


def release(keys: Sequence[str]) -> None:
    """These emails were not sent (the server refused them): a retry may send them."""
    db.session.rollback()
    if keys:
        db.session.execute(delete(SentMail).where(SentMail.key.in_(list(keys))))
        db.session.commit()
