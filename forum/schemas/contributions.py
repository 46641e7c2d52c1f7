"""Contributions, revisions, ratings, flags and strategies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.contribution import (
    CONTRIBUTION_SORTS,
    STRATEGY_SORTS,
    Contribution,
    ContributionView,
)
from forum.models.moderation import FLAG_REASONS, FLAG_STATUSES, FLAG_TARGETS
from forum.models.outcome import RESULTS
from forum.schemas.common import (
    AUTHOR_WITH_HEADLINE,
    PageArgs,
    RoundedFloat,
    SourceSchema,
    StrictSchema,
    page_of,
)
from forum.schemas.outcomes import ContributionOutcomes
from forum.urls import contribution_url


class ContributionCreateSchema(StrictSchema):
    body = fields.String(required=True)
    key_point_id = fields.Integer(load_default=None, allow_none=True, strict=True)


class ContributionPatchSchema(StrictSchema):
    body = fields.String(required=True)


class ContributionListArgs(PageArgs):
    sort = fields.String(load_default="useful", validate=validate.OneOf(CONTRIBUTION_SORTS))
    key_point = fields.Integer()


class RatingSummarySchema(ma.Schema):
    """The rating block of a contribution (a ContributionView): count, average, histogram and
    usefulness score."""

    count = fields.Integer(attribute="contribution.rating_count")
    average = RoundedFloat(3, attribute="contribution.average", allow_none=True)
    histogram = fields.List(fields.Integer(), attribute="contribution.histogram")
    score = RoundedFloat(4, attribute="contribution.score")


RATING_SUMMARY = RatingSummarySchema()


class ContributionSchema(ma.Schema):
    """A contribution as one reader sees it (a ContributionView)."""

    id = fields.Integer(attribute="contribution.id")
    prompt_id = fields.Integer(attribute="contribution.prompt_id")
    key_point_id = fields.Integer(attribute="contribution.key_point_id", allow_none=True)
    body = fields.String(attribute="contribution.body")
    body_html = fields.String(attribute="contribution.body_html")
    tags = fields.Function(lambda v: v.contribution.tag_names)
    status = fields.String(attribute="contribution.status")
    featured = fields.Boolean(attribute="contribution.featured")
    hidden_reason = fields.Function(lambda v: v.contribution.hidden_reason or None)
    author = fields.Function(lambda v: AUTHOR_WITH_HEADLINE.dump(v.contribution))
    created_at = fields.DateTime(attribute="contribution.created_at")
    edited_at = fields.DateTime(attribute="contribution.edited_at", allow_none=True)
    rating = fields.Function(RATING_SUMMARY.dump)
    comment_count = fields.Integer(attribute="contribution.comment_count")
    my_rating = fields.Function(lambda v: v.my_rating)
    # Counts of what happened when members tried it (never their notes), and the reader's own.
    outcomes = ContributionOutcomes()
    my_outcome = fields.String(allow_none=True, validate=validate.OneOf(RESULTS))
    is_new = fields.Function(lambda v: v.is_new)
    url = fields.Function(lambda v: contribution_url(v.contribution))
    source = fields.Nested(SourceSchema, attribute="contribution.source", allow_none=True)

    @ma.pre_dump
    def _seen_by_nobody(self, item, **_kwargs):
        """A bare row (a flag's contribution in the queue) is nobody's view of it."""
        return ContributionView(item) if isinstance(item, Contribution) else item


ContributionPageSchema = page_of(ContributionSchema, "ContributionPageSchema")

# The fields of a contribution that say what the reader did; the rest is the same for everyone.
OWN_FIELDS = ("my_rating", "my_outcome")
_SHARED_ITEM = ContributionSchema(exclude=OWN_FIELDS)
_OWN_ITEM = ContributionSchema(only=OWN_FIELDS)
_PAGE_NUMBERS = ContributionPageSchema(exclude=("items",))
NONE: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class SharedListing:
    """A page of contributions as every reader sees it, as JSON text: each item without the
    reader's own fields, and the page's numbers. Plain values: it is kept in the cache."""

    ids: tuple[int, ...]
    items: tuple[str, ...]
    numbers: str


def shared_listing(page) -> SharedListing:
    """A page of ContributionViews seen by nobody, dumped once for every reader."""
    return SharedListing(
        tuple(view.contribution.id for view in page.items),
        tuple(json.dumps(_SHARED_ITEM.dump(view)) for view in page.items),
        json.dumps(_PAGE_NUMBERS.dump(page)),
    )


def listing_json(
    shared: SharedListing, my_ratings: Mapping[int, int], my_outcomes: Mapping[int, str] = NONE
) -> str:
    """The page as ContributionPageSchema dumps it for a reader whose ratings and outcomes these
    are: each shared item with the reader's own fields written in (dumped once per distinct
    value)."""
    own: dict[tuple, str] = {}
    items = []
    for ident, item in zip(shared.ids, shared.items, strict=True):
        mine = (my_ratings.get(ident), my_outcomes.get(ident))
        if mine not in own:
            view = ContributionView(None, mine[0], my_outcome=mine[1])
            own[mine] = json.dumps(_OWN_ITEM.dump(view))[1:]
        items.append(f"{item[:-1]}, {own[mine]}")
    return f'{{"items": [{", ".join(items)}], {shared.numbers[1:]}'


class RevisionSchema(ma.Schema):
    id = fields.Integer()
    body = fields.String(metadata={"description": "Empty once a moderator removed the text."})
    edited_at = fields.DateTime()
    editor = fields.Function(lambda r: r.editor_name)
    redacted = fields.Boolean(
        metadata={"description": "A moderator removed this version's text for good."}
    )
    redacted_at = fields.DateTime(allow_none=True)


class RevisionListSchema(ma.Schema):
    items = fields.List(fields.Nested(RevisionSchema))


class RatingInSchema(StrictSchema):
    score = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))


class RatingOutSchema(RatingSummarySchema):
    """The rating block after the caller rated (a ContributionView), with their score."""

    my_rating = fields.Integer(allow_none=True)


class FlagInSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(FLAG_REASONS))
    note = fields.String(load_default="")


class FlagSchema(ma.Schema):
    id = fields.Integer()
    target_type = fields.String(validate=validate.OneOf(FLAG_TARGETS))
    contribution_id = fields.Integer()
    comment_id = fields.Integer(allow_none=True)
    reason = fields.String()
    note = fields.String()
    status = fields.String(validate=validate.OneOf(FLAG_STATUSES))
    reporter = fields.Function(lambda f: f.reporter.username if f.reporter else f.reporter_name)
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    resolution = fields.Function(lambda f: f.resolution or None)


class StrategiesArgs(PageArgs):
    topic = fields.String()
    tag = fields.String()
    # Unless said: 1 for `useful`, 0 for `proven` (services/strategies.py).
    min_ratings = fields.Integer(validate=validate.Range(min=0, max=1_000_000))
    sort = fields.String(load_default="useful", validate=validate.OneOf(STRATEGY_SORTS))


class StrategyPromptSchema(ma.Schema):
    id = fields.Integer()
    title = fields.String()


STRATEGY_PROMPT = StrategyPromptSchema()


class StrategySchema(ContributionSchema):
    prompt = fields.Function(lambda v: STRATEGY_PROMPT.dump(v.contribution.prompt))


StrategyPageSchema = page_of(StrategySchema, "StrategyPageSchema")
