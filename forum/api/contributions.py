"""Contributions API: experiences under a prompt, their revisions, ratings and flags."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, request
from flask_smorest import Blueprint

from forum import page_cache
from forum.api.auth import active_member_required, api_user, require_active_user
from forum.limits import limit_writes
from forum.models.contribution import ContributionView
from forum.schemas.contributions import (
    ContributionCreateSchema,
    ContributionListArgs,
    ContributionPageSchema,
    ContributionPatchSchema,
    ContributionSchema,
    FlagInSchema,
    FlagSchema,
    RatingInSchema,
    RatingOutSchema,
    RevisionListSchema,
    SharedListing,
    StrategiesArgs,
    StrategyPageSchema,
    listing_json,
    shared_listing,
)
from forum.services import (
    contribution_views,
    contributions,
    member_state,
    moderation,
    prompts,
    ratings,
    strategies,
    versions,
)
from forum.services.errors import NotFound
from forum.services.member_state import NOBODY

blp = Blueprint("api_contributions", __name__, description="Contributions and their ratings")


class ListingArgs(ContributionListArgs):
    """The listing's query arguments, validated once per distinct query string: readers send
    the same few (a link, a sort), and the listing is served from the cache, so parsing was a
    tenth of a cached answer. The parsed arguments depend on the query string alone; one that
    fails validation is never kept."""

    KEEP = 256
    _parsed: dict[tuple, dict] = {}

    def load(self, data, **kwargs):
        key = (request.query_string, tuple(sorted(kwargs.items())))
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed = super().load(data, **kwargs)
            if len(self._parsed) >= self.KEEP:
                self._parsed.clear()
            self._parsed[key] = parsed
        return dict(parsed)


def seen(contribution):
    """One contribution as the caller sees it (their own rating and outcome of it)."""
    return contribution_views.seen_by(api_user(), [contribution])[0]


@blp.get("/prompts/<int:prompt_id>/contributions")
# An instance, made once: given the class, webargs would build a schema on every request.
@blp.arguments(ListingArgs(), location="query")
@blp.response(200, ContributionPageSchema)
def list_contributions(args, prompt_id):
    """A prompt's visible contributions, most useful first (or newest, oldest)."""
    found = versions.version_of(prompt_id)
    if found is None:
        raise NotFound("No such prompt.")
    listing = f"{prompt_id}:{found[0]}:{sorted(args.items())}"

    def shared() -> SharedListing:
        """The page as everyone sees it, kept under the prompt's version."""
        return page_cache.kept(f"api:listing:{listing}", lambda: _shared_listing(prompt_id, args))

    member = api_user()
    if page_cache.shareable(member):
        arguments = str(sorted(args.items()))
        return page_cache.respond(
            page_cache.Shared("api:contributions", prompt_id, found[1], arguments),
            found[0],
            lambda: (listing_json(shared(), NOBODY.ratings), 200),
            "application/json",
        )
    page = shared()
    mine = member_state.on_prompt(member, prompt_id)
    return current_app.response_class(
        listing_json(page, mine.ratings, mine.outcomes), mimetype="application/json"
    )


def _shared_listing(prompt_id: int, args: dict) -> SharedListing:
    prompt = prompts.get_prompt(prompt_id)
    key_point = args.get("key_point")
    if key_point is not None and key_point not in {kp.id for kp in prompt.key_points}:
        raise NotFound("That key point is not part of this prompt.")
    page, new_id = contributions.list_for_prompt(
        prompt,
        sort=args["sort"],
        key_point_id=key_point,
        page=args["page"],
        per_page=args["per_page"],
    )
    return shared_listing(replace(page, items=contribution_views.seen_by(None, page.items, new_id)))


@blp.post("/prompts/<int:prompt_id>/contributions")
@active_member_required
@limit_writes
@blp.arguments(ContributionCreateSchema)
@blp.response(201, ContributionSchema)
@blp.doc(security=[{"bearer": []}])
def create_contribution(data, prompt_id):
    """Share an experience; 409 when the prompt is locked or archived."""
    actor = require_active_user()
    prompt = prompts.get_prompt(prompt_id)
    return contribution_views.seen_new(contributions.create_contribution(actor, prompt, **data))


@blp.get("/contributions/<int:contribution_id>")
@blp.response(200, ContributionSchema)
def show_contribution(contribution_id):
    """One contribution (hidden and deleted ones only for moderators and the author)."""
    return seen(contributions.get_contribution(api_user(), contribution_id))


@blp.patch("/contributions/<int:contribution_id>")
@active_member_required
@limit_writes
@blp.arguments(ContributionPatchSchema)
@blp.response(200, ContributionSchema)
@blp.doc(security=[{"bearer": []}])
def edit_contribution(data, contribution_id):
    """The author or a moderator edits; the previous body is kept as a revision."""
    actor = require_active_user()
    contribution = contributions.get_contribution(actor, contribution_id)
    return seen(contributions.edit_contribution(actor, contribution, data["body"]))


@blp.delete("/contributions/<int:contribution_id>")
@active_member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def delete_contribution(contribution_id):
    """Soft delete, by the author or a moderator."""
    actor = require_active_user()
    contributions.delete_contribution(actor, contributions.get_contribution(actor, contribution_id))


@blp.get("/contributions/<int:contribution_id>/revisions")
@blp.response(200, RevisionListSchema)
def list_revisions(contribution_id):
    """Earlier versions of the body, oldest first."""
    contribution = contributions.get_contribution(api_user(), contribution_id)
    return {"items": contributions.list_revisions(contribution)}


@blp.put("/contributions/<int:contribution_id>/rating")
@active_member_required
@limit_writes
@blp.arguments(RatingInSchema)
@blp.response(200, RatingOutSchema)
@blp.doc(security=[{"bearer": []}])
def rate_contribution(data, contribution_id):
    """Rate how useful a contribution is, 1 to 5; 403 on one's own."""
    actor = require_active_user()
    contribution = contributions.get_contribution(actor, contribution_id)
    return ContributionView(ratings.rate(actor, contribution, data["score"]), data["score"])


@blp.delete("/contributions/<int:contribution_id>/rating")
@active_member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def unrate_contribution(contribution_id):
    """Withdraw one's rating."""
    actor = require_active_user()
    ratings.unrate(actor, contributions.get_contribution(actor, contribution_id))


@blp.post("/contributions/<int:contribution_id>/flags")
@active_member_required
@limit_writes
@blp.arguments(FlagInSchema)
@blp.response(201, FlagSchema)
@blp.doc(security=[{"bearer": []}])
def flag_contribution(data, contribution_id):
    """Report a contribution to the moderators; 409 if this member already has an open flag."""
    actor = require_active_user()
    contribution = contributions.get_contribution(actor, contribution_id)
    return moderation.flag(actor, contribution, data["reason"], data.get("note", ""))


@blp.get("/strategies")
@blp.arguments(StrategiesArgs, location="query")
@blp.response(200, StrategyPageSchema)
def top_strategies(args):
    """Strategies across prompts: the most useful by usefulness score (`sort=useful`), or
    proven in practice (`sort=proven`: by success, among those at least three members tried)."""
    page = strategies.top_strategies(**args)
    return replace(page, items=contribution_views.seen_by(api_user(), page.items))
