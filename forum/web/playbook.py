"""The playbook, for people: the page of a member's saved strategies, the save and remove
buttons a contribution card posts to, and the way from a check-in to the outcome form."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional

from forum.limits import limit_writes
from forum.models.outcome import REMIND_DEFAULT_DAYS, REMIND_MAX_DAYS, REMIND_MIN_DAYS
from forum.models.types import utcnow
from forum.page_parts import macro
from forum.security import viewer
from forum.services import contributions, playbook
from forum.services.errors import invalid
from forum.web.helpers import enhanced_request, page_arg, private, require_member, safe_next

bp = Blueprint("playbook", __name__)

PLAYBOOK = "macros/playbook.html"
# What the "Change reminder" form offers, in days from now.
REMIND_CHOICES = (1, 3, 7, REMIND_DEFAULT_DAYS, 30, 60, REMIND_MAX_DAYS)


class SaveForm(FlaskForm):
    remind_in_days = IntegerField(
        validators=[Optional(), NumberRange(REMIND_MIN_DAYS, REMIND_MAX_DAYS)]
    )
    next = HiddenField()


class UnsaveForm(FlaskForm):
    next = HiddenField()


def _expired(form: FlaskForm) -> None:
    """400 when the form's CSRF token is missing or stale."""
    if "csrf_token" in form.errors:
        abort(400, description="The form expired: try again.")


def _answer(contribution_id: int, saved: bool, message: str, back: str | None):
    """The button as it now is (for static/enhance.js), else back where the form was."""
    if enhanced_request():
        private()
        form_html = macro(PLAYBOOK, "save_form")(contribution_id, saved, back)
        return jsonify(message=message, form_html=form_html)
    flash(message, "success")
    return redirect(back or url_for("contributions.show", contribution_id=contribution_id))


@bp.get("/playbook")
@login_required
def index():
    """The member's saved strategies, newest first, with their state and reminder date."""
    private()
    page = playbook.playbook_of(
        require_member(), page=page_arg(), per_page=current_app.config["PER_PAGE"]
    )
    if not page.items and page.total:  # past the last page (its last entry just removed)
        return redirect(url_for("playbook.index", page=page.pages))
    back = url_for("playbook.index", page=page.page) if page.page > 1 else url_for("playbook.index")
    return render_template(
        "playbook.html", page=page, choices=REMIND_CHOICES, chosen=_chosen(page.items), back=back
    )


def _chosen(entries) -> dict[int, int]:
    """What each "Remind me in" list shows chosen: the choice nearest the days left before the
    reminder (the default once it has passed)."""
    now, chosen = utcnow(), {}
    for entry in entries:
        left = (entry.remind_at - now) / timedelta(days=1)
        days = REMIND_DEFAULT_DAYS if left < 0.5 else left
        chosen[entry.contribution_id] = min(REMIND_CHOICES, key=lambda d: abs(d - days))
    return chosen


@bp.post("/contributions/<int:contribution_id>/save")
@login_required
@limit_writes
def save(contribution_id):
    """Save a contribution to try (or change its reminder): `remind_in_days`, 14 by default."""
    form = SaveForm()
    if not form.validate_on_submit():
        _expired(form)
        raise invalid("remind_in_days", playbook.REMIND_MESSAGE)
    actor = require_member()
    contribution = contributions.get_contribution(actor, contribution_id)
    saved = playbook.save(actor, contribution, form.remind_in_days.data)
    when = f"{saved.remind_at.day} {saved.remind_at:%b %Y}"
    message = f"Saved to your playbook: we will ask you how it went on {when}."
    return _answer(contribution_id, True, message, safe_next(form.next.data))


@bp.post("/contributions/<int:contribution_id>/unsave")
@login_required
@limit_writes
def unsave(contribution_id):
    """Remove a contribution from the playbook (also one hidden since)."""
    form = UnsaveForm()
    if not form.validate_on_submit():
        _expired(form)
    playbook.unsave(require_member(), contribution_id)
    return _answer(contribution_id, False, "Removed from your playbook.", safe_next(form.next.data))


@bp.get("/contributions/<int:contribution_id>/how-it-went")
def how_it_went(contribution_id):
    """Where a check-in leads: the contribution on its prompt's page, at its outcome form."""
    contribution = contributions.get_contribution(viewer(), contribution_id)
    page = contributions.page_containing(contribution, current_app.config["CONTRIBUTIONS_PER_PAGE"])
    prompt = contribution.prompt
    target = url_for(
        "prompts.show",
        prompt_id=prompt.id,
        slug=prompt.slug,
        **({"page": page} if page > 1 else {}),
    )
    return redirect(f"{target}#outcome-{contribution.id}")
