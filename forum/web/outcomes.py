"""I tried this: a member says what happened when they tried a contribution's strategy (it
worked, partly, or not), where, and a note for its author; or takes the report back. Plain form
posts that come back to the card, so they work without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from forum.limits import limit_writes
from forum.models.outcome import NOTE_MAX, RESULTS, SETTINGS
from forum.services import contributions, outcomes
from forum.services.errors import Invalid
from forum.web.contributions import anchored
from forum.web.evidence import RESULT_CHOICES, RESULT_LABELS, SETTING_CHOICES
from forum.web.helpers import require_member, safe_next, show_errors

bp = Blueprint("outcomes", __name__)

CHOOSE_RESULT = "Choose what happened: it worked, it partly worked, or it didn't work."
NOTE_HINT = "Only the author and moderators see your note."


class OutcomeForm(FlaskForm):
    result = RadioField(
        "What happened when you tried it?",
        choices=[SelectChoice(value, label) for value, label in RESULT_CHOICES],
        validate_choice=False,  # AnyOf says what is wrong in words a member can act on
        validators=[InputRequired(CHOOSE_RESULT), AnyOf(RESULTS, CHOOSE_RESULT)],
    )
    setting = SelectField(
        "Where did you try it? (optional)",
        choices=[SelectChoice("", "Not saying")]
        + [SelectChoice(value, label) for value, label in SETTING_CHOICES],
        validate_choice=False,
        validators=[Optional(), AnyOf(SETTINGS, "Choose a setting from the list, or none.")],
    )
    note = TextAreaField(
        "A note for the author (optional)",
        description=NOTE_HINT,
        validators=[Length(max=NOTE_MAX, message=f"Use at most {NOTE_MAX} characters.")],
    )
    next = HiddenField()


class WithdrawForm(FlaskForm):
    next = HiddenField()


def _back(contribution, sent: str | None) -> str:
    """The card on the listing the form was sent from, or on its prompt's page."""
    back = safe_next(sent)
    return f"{back}#c{contribution.id}" if back else anchored(contribution)


@bp.post("/contributions/<int:contribution_id>/outcome")
@login_required
@limit_writes
def report(contribution_id):
    """Report (or change) what happened when the member tried it; back to the card, or the form
    again with what was wrong (422)."""
    person = require_member()
    contribution = contributions.get_contribution(person, contribution_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            outcomes.report(
                person, contribution, form.result.data, form.setting.data or None, form.note.data
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            said = RESULT_LABELS[form.result.data].lower()
            flash(f"Thank you: your report is saved ({said}).", "success")
            return redirect(_back(contribution, form.next.data))
    return render_template("outcome.html", form=form, contribution=contribution), 422


@bp.post("/contributions/<int:contribution_id>/outcome/delete")
@login_required
@limit_writes
def withdraw(contribution_id):
    """Take back the member's report of trying it; back to the card."""
    person = require_member()
    contribution = contributions.get_contribution(person, contribution_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired: try again.")
    outcomes.withdraw(person, contribution)
    flash("Your report is removed.", "success")
    return redirect(_back(contribution, form.next.data))
