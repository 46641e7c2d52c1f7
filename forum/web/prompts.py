"""The prompt page: the question, its key points, and the contributions that answer it."""

from __future__ import annotations

from dataclasses import asdict

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required
from wtforms import SelectChoice

from forum import page_cache
from forum.limits import limit_writes
from forum.models.contribution import CONTRIBUTION_SORTS
from forum.permissions import is_active
from forum.security import viewer
from forum.services import contributions, prompts, related, versions
from forum.web.forms import FLAG_CHOICES, ContributionForm, HelpfulForm
from forum.web.helpers import enhanced_request, page_arg, private, require_member, sort_labels

bp = Blueprint("prompts", __name__)

SORT_LABELS = sort_labels(CONTRIBUTION_SORTS)
HELPFUL_VALUES = {"yes": True, "no": False, "withdraw": None}
LISTING_ARGS = ("sort", "key_point", "page")


def _listing_args() -> dict[str, str]:
    """The query arguments that choose a listing; anything else (say `_external`) is dropped."""
    return {name: request.args[name] for name in LISTING_ARGS if name in request.args}


@bp.get("/prompts/<int:prompt_id>")
@bp.get("/prompts/<int:prompt_id>/<slug>")
def show(prompt_id, slug=None):
    """The prompt page, at its one canonical address; readers share a cached copy."""
    found = versions.version_of(prompt_id)
    if found is None:
        abort(404, description="No such prompt.")
    version, canonical = found
    if slug != canonical:
        # One address per prompt, whatever its title was when the link was made.
        target = url_for("prompts.show", prompt_id=prompt_id, slug=canonical, **_listing_args())
        return redirect(target, 301)
    if not page_cache.shareable(viewer()):
        return render_prompt_page(prompts.get_prompt(prompt_id))
    key = f"page:{prompt_id}:{version}:{sorted(_listing_args().items())}"
    return page_cache.respond(key, lambda: render_prompt_page(prompts.get_prompt(prompt_id)))


def render_prompt_page(prompt, *, contribute_form: ContributionForm | None = None, status=200):
    """The whole prompt page; the contribute form may come back with errors (status 422)."""
    person = viewer()
    sort = request.args.get("sort", "useful")
    if sort not in CONTRIBUTION_SORTS:
        sort = "useful"
    key_points = {kp.id: kp for kp in prompt.key_points}
    key_point_id = request.args.get("key_point", type=int)
    if key_point_id not in key_points:
        key_point_id = None
    page, new_id = contributions.list_for_prompt(
        prompt,
        sort=sort,
        key_point_id=key_point_id,
        page=page_arg(),
        per_page=current_app.config["CONTRIBUTIONS_PER_PAGE"],
        viewer=person,
    )
    form = contribute_form or ContributionForm()
    back = url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug, **_listing_args())
    form.key_point_id.choices = [SelectChoice("", "None in particular")] + [
        SelectChoice(kp.id, kp.title) for kp in prompt.key_points
    ]
    body = render_template(
        "prompt.html",
        prompt=prompt,
        page=page,
        new_id=new_id,
        sort=sort,
        sort_labels=SORT_LABELS,
        key_point_id=key_point_id,
        key_points=key_points,
        my_ratings=contributions.my_ratings(person, [c.id for c in page.items]),
        my_helpful=prompts.my_prompt_rating(person, prompt),
        related=related.related_prompts(prompt),
        form=form,
        cannot_contribute=_why_no_contribute_form(person, prompt),
        flag_choices=FLAG_CHOICES,
        # Where the small forms (rating, flag) bring the reader back to: this very listing.
        back=back,
        # The login links name it too, never the request's own query string: readers share
        # this page from the cache.
        canonical_path=back,
    )
    return body, status


def _why_no_contribute_form(person, prompt) -> str | None:
    """None when the viewer may contribute; otherwise the reason, which the page explains."""
    if prompt.status != "open":
        return prompt.status
    if person is None:
        return "anonymous"
    if not is_active(person):
        return "suspended"
    return None


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
            forms_html=get_template_attribute(macros, "helpful_forms")(prompt, mine),
        )
    flash(message, "success")
    target = url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug)
    return redirect(f"{target}#helpful")
