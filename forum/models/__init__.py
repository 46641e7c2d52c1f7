"""Tables, one module per aggregate. Models hold columns; services hold the rules."""

from forum.models.comment import Comment
from forum.models.contribution import Contribution, Revision
from forum.models.following import Notification, NotificationEvent, Subscription
from forum.models.imported import ImportedPost
from forum.models.moderation import Flag, ModerationAction
from forum.models.outbox import SearchOutbox
from forum.models.outcome import Outcome, SavedStrategy
from forum.models.prompt import KeyPoint, Prompt, PromptRating, RelatedReading, Tag
from forum.models.rating import Rating
from forum.models.topic import Topic
from forum.models.user import ApiToken, User

__all__ = [
    "ApiToken",
    "Comment",
    "Contribution",
    "Flag",
    "ImportedPost",
    "KeyPoint",
    "ModerationAction",
    "Notification",
    "NotificationEvent",
    "Outcome",
    "Prompt",
    "PromptRating",
    "Rating",
    "RelatedReading",
    "Revision",
    "SavedStrategy",
    "SearchOutbox",
    "Subscription",
    "Tag",
    "Topic",
    "User",
]
