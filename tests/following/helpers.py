"""Helpers of the following suite: follow through the API, deliver, read the inbox."""

from __future__ import annotations

from forum.services.delivery import deliver_all
from tests.api.helpers import get, ok, put


def follow(client, user, target_type, target, level="watching") -> dict:
    body = {"target_type": target_type, "target": target, "level": level}
    return ok(put(client, "/subscriptions", body, user=user))


def inbox(client, user, **args) -> dict:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return ok(get(client, f"/notifications?{query}", user=user))


def delivered_inbox(client, user, **args) -> dict:
    """The member's notifications once the worker has delivered every waiting event."""
    deliver_all()
    return inbox(client, user, **args)


def kinds(page: dict) -> list[tuple[str, int | None]]:
    return [(item["kind"], item["contribution_id"]) for item in page["items"]]
