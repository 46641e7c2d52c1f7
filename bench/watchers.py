"""Many members following one thing, built in two statements (the notification and digest
benchmarks both start from 10,000 of them)."""

from __future__ import annotations


def add_watchers(count: int, prefix: str, target_type: str, target_id: int, **columns) -> None:
    """Insert `count` members named `<prefix><n>` (with `columns` set on each) watching one
    target, and commit."""
    from sqlalchemy import insert, text

    from forum.extensions import db
    from forum.models import User
    from forum.models.types import utcnow

    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "username": f"{prefix}{i}",
                "email": f"{prefix}{i}@example.org",
                "password_hash": "x",
                "display_name": f"Member {prefix}{i}",
                "username_key": f"{prefix}{i}",
                "display_key": f"member {prefix}{i}",
                "joined_at": now,
                **columns,
            }
            for i in range(count)
        ],
    )
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    db.session.execute(
        text(
            "INSERT INTO subscriptions (user_id, target_type, target_id, level, created_at) "
            "SELECT id, :kind, :target, 'watching', :now FROM users WHERE username LIKE :names"
        ).bindparams(
            kind=target_type,
            target=target_id,
            now=now.replace(tzinfo=None) if sqlite else now,
            names=f"{prefix}%",
        ),
    )
    db.session.commit()
