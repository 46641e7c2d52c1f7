"""The prompt page: the question, its key points, and the contributions that answer it."""

from __future__ import annotations

from dataclasses import asdict

from flask import (
    Blueprint,
    abort,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    url_for,
)
from flask_login import login_required

from forum import page_cache
from forum.limits import limit_writes
from forum.security import viewer
from forum.services import prompts, versions
from forum.web import prompt_page
from forum.web.forms import ContributionForm, HelpfulForm
from forum.web.helpers import enhanced_request, private, require_member
from forum.web.prompt_page import listing_args

bp = Blueprint("prompts", __name__)

HELPFUL_VALUES = {"yes": True, "no": False, "withdraw": None}


@bp.get("/prompts/<int:prompt_id>")
@bp.get("/prompts/<int:prompt_id>/<slug>")
def show(prompt_id, slug=None):
    """The prompt page, at its one canonical address. Readers who are not signed in share a
    cached copy of the whole page; a member's page is the shared part with theirs written in."""
    found = versions.version_of(prompt_id)
    if found is None:
        abort(404, description="No such prompt.")
    version, canonical = found
    if slug != canonical:
        # One address per prompt, whatever its title was when the link was made.
        target = url_for("prompts.show", prompt_id=prompt_id, slug=canonical, **listing_args())
        return redirect(target, 301)
    person = viewer()
    if not page_cache.shareable(person):
        return prompt_page.render(prompt_id, version, person)
    shared = page_cache.Shared("page", prompt_id, canonical, str(sorted(listing_args().items())))
    return page_cache.respond(
        shared, version, lambda: (prompt_page.render(prompt_id, version, None), 200)
    )


def render_prompt_page(prompt, *, contribute_form: ContributionForm | None = None, status=200):
    """The whole prompt page for the signed-in member, built afresh; the contribute form may
    come back with errors (status 422)."""
    return prompt_page.render(prompt.id, None, viewer(), contribute_form), status


@bp.post("/prompts/<int:prompt_id>/helpful")
@login_required
@limit_writes
def helpful(prompt_id):
    """Rate the prompt itself helpful or not, or withdraw that vote."""
    prompt = prompts.get_prompt(prompt_id)
    form = HelpfulForm()
    if not form.validate_on_submit():
        abort(400, description="Choose helpful or not helpful.")
    mine = HELPFUL_VALUES[form.helpful.data]
    counts = prompts.rate_prompt(require_member(), prompt, mine)
    withdrawn = form.helpful.data == "withdraw"
    message = f"Your vote on this prompt is {'withdrawn' if withdrawn else 'saved'}."
    if enhanced_request():
        # For static/enhance.js: the counts and the buttons, to put in place without a reload.
        private()
        macros = "macros/prompts.html"
        return jsonify(
            message=message,
            **asdict(counts),
            counts_html=get_template_attribute(macros, "helpful_counts")(prompt),
            forms_html=get_template_attribute(macros, "helpful_forms")(prompt.id, mine),
        )
    flash(message, "success")
    target = url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug)
    return redirect(f"{target}#helpful")
