"""Rating a contribution's usefulness from 1 to 5, changing or removing that rating."""

from __future__ import annotations

from flask import Blueprint, get_template_attribute, jsonify, redirect
from flask_login import login_required

from forum.limits import limit_writes
from forum.services import contributions, ratings
from forum.web.card_notices import flash_on_card
from forum.web.contributions import anchored
from forum.web.forms import RatingForm
from forum.web.helpers import enhanced_request, private, require_member, safe_next

bp = Blueprint("ratings", __name__)

CHOOSE = "Choose a score from 1 to 5."


@bp.post("/contributions/<int:contribution_id>/rating")
@login_required
@limit_writes
def rate(contribution_id):
    """Set, change or remove the member's 1-5 rating of a contribution; back to the card, with
    what happened said on it (a post with no score or a wrong one changes nothing)."""
    person = require_member()
    contribution = contributions.get_contribution(person, contribution_id)
    form = RatingForm()
    if form.validate_on_submit() and (form.remove.data or form.score.data is not None):
        if form.remove.data:
            ratings.unrate(person, contribution)
            message, mine, category = "Your rating is removed.", None, "success"
        else:
            ratings.rate(person, contribution, form.score.data)
            message, mine = f"Your rating of {form.score.data} is saved.", form.score.data
            category = "success"
        if enhanced_request():
            return _rated(contribution, mine, form.next.data, message)
    else:
        message, category = CHOOSE, "error"
        if enhanced_request():
            private()
            return jsonify(message=message), 422
    flash_on_card(contribution.id, message, category)
    back = safe_next(form.next.data)
    return redirect(f"{back}#c{contribution.id}" if back else anchored(contribution))


def _rated(contribution, mine: int | None, back: str | None, message: str):
    """The pieces of the card that changed, for static/enhance.js to put in place."""
    private()
    macro = "macros/contributions.html"
    return jsonify(
        message=message,
        my_rating=mine,
        rating_count=contribution.rating_count,
        score=contribution.score,
        usefulness_html=get_template_attribute(macro, "usefulness")(contribution),
        form_html=get_template_attribute(macro, "rating_form")(contribution, mine, safe_next(back)),
        notice_html=get_template_attribute(macro, "card_notice")("success", message, live=False),
    )
