"""Following and the inbox, for people: the follow buttons' target, the page of what a member
follows, and the inbox with its read and unread notifications."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import AnyOf, InputRequired, NumberRange

from forum.limits import limit_writes
from forum.models.following import TARGET_TYPES
from forum.services import following, inbox
from forum.urls import MAX_ID
from forum.web import follow_parts  # noqa: F401  (the fillers of the follow buttons)
from forum.web.forms import ActionForm
from forum.web.helpers import enhanced_request, page_arg, private, require_member, safe_next

bp = Blueprint("following", __name__)

LEVEL_CHOICES = ("watching", "muted", "none")
DONE = {"watching": "You follow it now.", "muted": "Muted.", "none": "You no longer follow it."}


class FollowForm(FlaskForm):
    target_type = HiddenField(validators=[AnyOf(TARGET_TYPES)])
    target_id = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    level = StringField(validators=[AnyOf(LEVEL_CHOICES)])
    next = HiddenField()


@bp.post("/follow")
@login_required
@limit_writes
def follow():
    """A follow button: watch, mute or stop following; back to the page it was on."""
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400, description="Choose what to follow.")
    level, target_type, ident = form.level.data, form.target_type.data, form.target_id.data
    following.follow_by_id(require_member(), target_type, ident, level)
    if enhanced_request() and target_type in follow_parts.NAMES:
        # For static/enhance.js: the buttons as they now are, put in place without a reload.
        private()
        now = None if level == "none" else level
        name = follow_parts.NAMES[target_type]
        form_html = follow_parts.macro(follow_parts.FOLLOWING, "follow_form")(
            target_type, ident, now, safe_next(form.next.data), name
        )
        return jsonify(message=DONE[level], form_html=form_html)
    flash(DONE[level], "success")
    return redirect(safe_next(form.next.data) or url_for("following.index"))


@bp.get("/following")
@login_required
def index():
    """What the member follows or muted, each with its buttons."""
    private()
    page = following.subscriptions_of(
        require_member(), page=page_arg(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("following.html", page=page, back=url_for("following.index"))


@bp.post("/following/<int:subscription_id>/remove")
@login_required
@limit_writes
def unfollow(subscription_id):
    if not ActionForm().validate_on_submit():
        abort(400, description="The form expired: try again.")
    following.unfollow(require_member(), subscription_id)
    flash("You no longer follow it.", "success")
    return redirect(url_for("following.index"))


@bp.get("/inbox", endpoint="inbox")
@login_required
def inbox_page():
    """The member's notifications, newest first; `?unread=1` only the unread ones."""
    private()
    member = require_member()
    unread_only = request.args.get("unread") in ("1", "true")
    page = inbox.notifications_of(
        member, unread=unread_only, page=page_arg(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template(
        "inbox.html", page=page, unread_only=unread_only, unread=inbox.unread_count(member.id)
    )


@bp.post("/inbox/read")
@login_required
@limit_writes
def read():
    """Mark every notification read."""
    if not ActionForm().validate_on_submit():
        abort(400, description="The form expired: try again.")
    inbox.mark_read(require_member(), everything=True)
    flash("Every notification is marked read.", "success")
    return redirect(url_for("following.inbox"))
