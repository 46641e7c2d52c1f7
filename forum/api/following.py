"""Following and notifications API: what the caller follows, and what reached them."""

from __future__ import annotations

from flask_smorest import Blueprint

from forum.api.auth import member_required, require_user
from forum.limits import limit_writes
from forum.schemas.common import PageArgs
from forum.schemas.following import (
    NotificationArgs,
    NotificationPageSchema,
    ReadSchema,
    SubscriptionPageSchema,
    SubscriptionPutSchema,
    SubscriptionSchema,
    UnreadSchema,
)
from forum.services import following, inbox

blp = Blueprint("api_following", __name__, description="Following and notifications")


def _shown(subscription) -> dict:
    """A subscription with its target as the API names it."""
    named = following.subscriptions_named([subscription])[0]
    return {
        "id": named.id,
        "target_type": named.target_type,
        "target": named.target,
        "level": named.level,
    }


@blp.get("/subscriptions")
@member_required
@blp.arguments(PageArgs, location="query")
@blp.response(200, SubscriptionPageSchema)
@blp.doc(security=[{"bearer": []}])
def list_subscriptions(args):
    """What the caller follows (watching or muted), newest first."""
    return following.subscriptions_of(require_user(), **args)


@blp.put("/subscriptions")
@member_required
@limit_writes
@blp.arguments(SubscriptionPutSchema)
@blp.response(200, SubscriptionSchema)
@blp.doc(security=[{"bearer": []}])
def put_subscription(data):
    """Watch or mute a prompt, key point, topic, tag or member; again, change the level.
    `target` is the id of a prompt or key point, a topic's slug, a tag's name or a username."""
    return _shown(following.follow(require_user(), **data))


@blp.delete("/subscriptions/<int:subscription_id>")
@member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def delete_subscription(subscription_id):
    """Stop following (or muting) a target."""
    following.unfollow(require_user(), subscription_id)


@blp.get("/notifications")
@member_required
@blp.arguments(NotificationArgs, location="query")
@blp.response(200, NotificationPageSchema)
@blp.doc(security=[{"bearer": []}])
def list_notifications(args):
    """The caller's notifications, newest first (`unread=true`: the unread ones), and how many
    are unread."""
    member = require_user()
    page = inbox.notifications_of(
        member, unread=args["unread"], page=args["page"], per_page=args["per_page"]
    )
    return {
        "items": page.items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "unread_count": inbox.unread_count(member.id),
    }


@blp.post("/notifications/read")
@member_required
@limit_writes
@blp.arguments(ReadSchema)
@blp.response(200, UnreadSchema)
@blp.doc(security=[{"bearer": []}])
def mark_read(data):
    """Mark these notifications (`ids`) or every one (`all: true`) read."""
    everything = bool(data.get("all"))
    left = inbox.mark_read(require_user(), data.get("ids"), everything=everything)
    return {"unread_count": left}
