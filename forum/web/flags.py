"""Flagging a contribution for the moderators."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template
from flask_login import login_required

from forum.limits import limit_writes
from forum.services import contributions, moderation
from forum.services.errors import Conflict, Invalid
from forum.web.card_notices import flash_on_card
from forum.web.contributions import anchored
from forum.web.forms import FlagForm
from forum.web.helpers import require_member, safe_next, show_errors

bp = Blueprint("flags", __name__)


@bp.post("/contributions/<int:contribution_id>/flags")
@login_required
@limit_writes
def create(contribution_id):
    """Flag a contribution; back to its card, which says so (also when the reader had flagged
    it already), or the form again with errors."""
    person = require_member()
    contribution = contributions.get_contribution(person, contribution_id)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            moderation.flag(person, contribution, form.reason.data, form.note.data or "")
        except Conflict:
            message, category = "You flagged this already: a moderator will look at it.", "info"
        except Invalid as error:
            show_errors(form, error)
            return render_template("flag.html", form=form, contribution=contribution), 422
        else:
            message, category = "Thank you: a moderator will look at this contribution.", "success"
        flash_on_card(contribution.id, message, category)
        back = safe_next(form.next.data)
        return redirect(f"{back}#c{contribution.id}" if back else anchored(contribution))
    return render_template("flag.html", form=form, contribution=contribution), 422
