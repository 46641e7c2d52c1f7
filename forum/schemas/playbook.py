"""The playbook: saving a strategy to try, and the member's saved strategies."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.outcome import REMIND_MAX_DAYS, REMIND_MIN_DAYS, RESULTS
from forum.schemas.common import PageSchema, StrictSchema
from forum.urls import public_url

STATES = ("to_try", "checkin_due", "tried", "unavailable")


class SaveInSchema(StrictSchema):
    remind_in_days = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=REMIND_MIN_DAYS, max=REMIND_MAX_DAYS),
        metadata={"description": "Days until the check-in (default 14)."},
    )


class SavedSchema(ma.Schema):
    """A strategy as saved (a SavedStrategy)."""

    saved = fields.Boolean(dump_default=True)
    contribution_id = fields.Integer()
    saved_at = fields.DateTime()
    remind_at = fields.DateTime()


def _url(entry) -> str | None:
    if not entry.available:
        return None
    return public_url("contributions.show", contribution_id=entry.contribution_id)


class PlaybookAuthorSchema(ma.Schema):
    username = fields.String(allow_none=True)
    display_name = fields.String()


class PlaybookContributionSchema(ma.Schema):
    """What the playbook shows of a saved contribution (a playbook Entry). One hidden or
    deleted since is `available: false`, without author, excerpt or url."""

    id = fields.Integer(attribute="contribution_id")
    prompt_id = fields.Integer()
    title = fields.String(attribute="prompt_title", metadata={"description": "The prompt's."})
    url = fields.Function(_url, allow_none=True)
    author = fields.Nested(PlaybookAuthorSchema, allow_none=True)
    excerpt = fields.String(allow_none=True)
    available = fields.Boolean()


class PlaybookItemSchema(ma.Schema):
    """One saved strategy: {contribution: Entry, and the Entry's own fields}."""

    contribution = fields.Nested(PlaybookContributionSchema)
    saved_at = fields.DateTime()
    remind_at = fields.DateTime()
    checkin_at = fields.DateTime(
        allow_none=True, metadata={"description": "When the check-in was sent (null: not yet)."}
    )
    my_outcome = fields.String(
        allow_none=True,
        metadata={"description": f"Your result, if you reported one: {', '.join(RESULTS)}."},
    )
    state = fields.String(metadata={"description": f"One of {', '.join(STATES)}."})


class PlaybookPageSchema(PageSchema):
    items = fields.List(fields.Nested(PlaybookItemSchema))
