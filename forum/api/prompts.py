"""Prompts API: the threads, their helpful rating and related reading."""

from __future__ import annotations

from flask_smorest import Blueprint

from forum.api.auth import active_member_required, api_user, require_active_user
from forum.limits import limit_writes
from forum.schemas.prompts import (
    HelpfulInSchema,
    HelpfulSchema,
    PromptCreateSchema,
    PromptListArgs,
    PromptListSchema,
    PromptPageSchema,
    PromptPatchSchema,
    PromptSchema,
    SimilarArgs,
    SimilarListSchema,
)
from forum.services import prompts, related, similar

blp = Blueprint("api_prompts", __name__, description="Prompts: the questions practitioners answer")


@blp.get("/prompts")
@blp.arguments(PromptListArgs, location="query")
@blp.response(200, PromptPageSchema)
def list_prompts(args):
    """Prompts, filtered by topic or tag, sorted by activity, age or helpfulness."""
    return prompts.list_prompts(**args)


@blp.post("/prompts")
@active_member_required
@limit_writes
@blp.arguments(PromptCreateSchema)
@blp.response(201, PromptSchema)
@blp.doc(security=[{"bearer": []}])
def create_prompt(data):
    """Moderators post prompts; `topic` is the topic's slug."""
    return prompts.create_prompt(require_active_user(), **data)


@blp.get("/prompts/similar")
@blp.arguments(SimilarArgs, location="query")
@blp.response(200, SimilarListSchema)
def similar_prompts(args):
    """Has this been asked? Up to five prompts most alike a title (and intro) being written,
    best first, each with its `similarity` (0..1). Give a title, an intro or both: neither is a
    400. Long text is read in part (the title's first 300 characters, the intro's first 2,000).
    """
    return {"items": similar.similar_to(args["title"], args["intro"])}


@blp.get("/prompts/<int:prompt_id>")
@blp.response(200, PromptSchema)
def show_prompt(prompt_id):
    """A prompt with its intro and key points."""
    return prompts.seen_by(api_user(), prompts.get_prompt(prompt_id))


@blp.patch("/prompts/<int:prompt_id>")
@active_member_required
@limit_writes
@blp.arguments(PromptPatchSchema)
@blp.response(200, PromptSchema)
@blp.doc(security=[{"bearer": []}])
def update_prompt(data, prompt_id):
    """Moderators edit prompts and set their status (open, locked, archived)."""
    actor = require_active_user()
    prompt = prompts.get_prompt(prompt_id)
    return prompts.seen_by(api_user(), prompts.update_prompt(actor, prompt, **data))


@blp.put("/prompts/<int:prompt_id>/rating")
@active_member_required
@limit_writes
@blp.arguments(HelpfulInSchema)
@blp.response(200, HelpfulSchema)
@blp.doc(security=[{"bearer": []}])
def rate_prompt(data, prompt_id):
    """Mark a prompt helpful or not helpful."""
    actor = require_active_user()
    return prompts.rate_prompt(actor, prompts.get_prompt(prompt_id), data["helpful"])


@blp.delete("/prompts/<int:prompt_id>/rating")
@active_member_required
@limit_writes
@blp.response(204)
@blp.doc(security=[{"bearer": []}])
def unrate_prompt(prompt_id):
    """Withdraw one's helpful / not helpful rating."""
    prompts.rate_prompt(require_active_user(), prompts.get_prompt(prompt_id), None)


@blp.get("/prompts/<int:prompt_id>/related")
@blp.response(200, PromptListSchema)
def related_prompts(prompt_id):
    """Up to five other prompts worth reading next."""
    return {"items": related.related_prompts(prompts.get_prompt(prompt_id), limit=5)}
