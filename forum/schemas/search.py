"""Search results (docs/api.md, "Search")."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from forum.models.search import SEARCH_SORTS
from forum.schemas.common import AUTHOR, PageArgs, RoundedFloat
from forum.urls import contribution_url, prompt_url


class SearchArgs(PageArgs):
    q = fields.String(load_default="")
    type = fields.String(validate=validate.OneOf(["prompt", "contribution"]))
    topic = fields.String()
    tag = fields.String()
    author = fields.String()
    sort = fields.String(load_default="best", validate=validate.OneOf(SEARCH_SORTS))


class ExplainSchema(ma.Schema):
    """Why a hit ranks where it does: its text match and usefulness (0..1), its number of
    ratings, whether it is an editor's pick, and the fraction of the query's words it holds;
    beside them, never in the score, how many members reported trying it and its success (the
    Wilson bound of what worked; null while nobody has, and on a prompt)."""

    text = RoundedFloat(4)
    usefulness = RoundedFloat(4)
    ratings = fields.Integer()
    featured = fields.Boolean()
    matched = RoundedFloat(4)
    tried = fields.Integer()
    success = RoundedFloat(4, allow_none=True)


EXPLAIN = ExplainSchema()


def _url(result) -> str:
    return prompt_url(result) if result.type == "prompt" else contribution_url(result)


class HitRatingSchema(ma.Schema):
    """A contribution hit's ratings as its own page counts them; no average before the first."""

    count = fields.Integer(attribute="rating_count")
    average = RoundedFloat(3, attribute="rating_average", allow_none=True)


HIT_RATING = HitRatingSchema()


def _rating(result) -> dict | None:
    return HIT_RATING.dump(result) if result.type == "contribution" else None


class SearchHitSchema(ma.Schema):
    type = fields.String()
    id = fields.Integer()
    prompt_id = fields.Integer()
    title = fields.String()
    snippet = fields.String()
    url = fields.Function(_url)
    score = fields.Function(lambda r: round(r.score, 4))
    explain = fields.Function(EXPLAIN.dump)
    topic = fields.String()
    tags = fields.List(fields.String())
    created_at = fields.DateTime(attribute="created")
    author = fields.Function(AUTHOR.dump)
    rating = fields.Function(_rating, allow_none=True)


class SearchPageSchema(ma.Schema):
    items = fields.List(fields.Nested(SearchHitSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    facets = fields.Dict()
    suggestion = fields.String(allow_none=True)
    notice = fields.String(allow_none=True)
