"""Comments on the pages: a contribution's comments, and posting, editing, deleting, flagging,
hiding and restoring one. Each form posts normally and comes back to where it was sent from."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from forum.limits import limit_writes
from forum.permissions import can, is_active
from forum.security import viewer
from forum.services import comment_moderation, comments, contributions
from forum.services.errors import Invalid
from forum.web import comment_parts  # noqa: F401  (the fillers of the comments' part(...) holes)
from forum.web.comment_forms import KIND_BADGES, CommentForm, EditCommentForm
from forum.web.forms import ActionForm, FlagForm, HideForm
from forum.web.helpers import page_arg, require_member, safe_next, show_errors

bp = Blueprint("comments", __name__)

PER_PAGE = 50


def _listing_path(contribution_id: int) -> str:
    return url_for("comments.listing", contribution_id=contribution_id)


def _back(form, comment) -> str:
    """Where a comment's form sends the reader back: the page it was on, at the comment's card."""
    target = safe_next(form.next.data) or _listing_path(comment.contribution_id)
    return f"{target.split('#')[0]}#c{comment.contribution_id}"


def render_listing(contribution, form: CommentForm | None = None, status: int = 200):
    """A contribution's comments, oldest first, with the form to add one."""
    person = viewer()
    page = comments.list_for_contribution(person, contribution, page_arg(), PER_PAGE)
    may_comment = (
        person is not None
        and is_active(person)
        and contribution.status == "visible"
        and contribution.prompt.status == "open"
    )
    body = render_template(
        "comments.html",
        contribution=contribution,
        page=page,
        form=form or CommentForm(formdata=None),
        may_comment=may_comment,
        back=_listing_path(contribution.id),
        kind_badges=KIND_BADGES,
    )
    return body, status


@bp.get("/contributions/<int:contribution_id>/comments")
def listing(contribution_id):
    """Every comment of a contribution (the card on the prompt page shows the first few)."""
    return render_listing(contributions.get_contribution(viewer(), contribution_id))


@bp.post("/contributions/<int:contribution_id>/comments")
@login_required
@limit_writes
def create(contribution_id):
    """Post a comment and go back to the card; with errors, the form comes back filled in."""
    person = require_member()
    if not can(person, "comment"):
        abort(403, description="Your account cannot comment right now.")
    contribution = contributions.get_contribution(person, contribution_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            comment = comments.create_comment(person, contribution, form.body.data, form.kind.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("Your comment is posted.", "success")
            return redirect(_back(form, comment))
    return render_listing(contribution, form, 422)


def _own_or_moderated(comment_id: int, action: str):
    person = require_member()
    comment = comments.get_comment(person, comment_id)
    if not can(person, action, comment):
        abort(403, description="Only the author or a moderator can change this comment.")
    return person, comment


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
@limit_writes
def edit(comment_id):
    person, comment = _own_or_moderated(comment_id, "edit_comment")
    form = EditCommentForm(data={"body": comment.body, "next": request.args.get("next", "")})
    if form.validate_on_submit():
        try:
            comments.edit_comment(person, comment, form.body.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("Your changes to the comment are saved.", "success")
            return redirect(_back(form, comment))
    status = 422 if form.is_submitted() else 200
    return render_template("comment_edit.html", form=form, comment=comment), status


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
@limit_writes
def delete(comment_id):
    """GET asks for confirmation; POST deletes (softly)."""
    person, comment = _own_or_moderated(comment_id, "delete_comment")
    form = ActionForm()
    if form.validate_on_submit():
        comments.delete_comment(person, comment)
        flash("The comment is deleted.", "success")
        return redirect(_listing_path(comment.contribution_id))
    return render_template("comment_delete.html", form=form, comment=comment)


def _attempt(action, success: str) -> None:
    """Run a service call; a wrong field comes back as a message on the page."""
    try:
        action()
    except Invalid as error:
        flash(error.message, "error")
    else:
        flash(success, "success")


@bp.post("/comments/<int:comment_id>/flags")
@login_required
@limit_writes
def flag(comment_id):
    """Flag a comment for the moderators, and go back to where the reader was."""
    person = require_member()
    comment = comments.get_comment(person, comment_id)
    if not can(person, "flag_comment", comment):
        abort(403, description="You cannot flag this comment.")
    form = FlagForm()
    if not form.validate_on_submit():
        flash("Choose a reason for the flag.", "error")
        return redirect(_back(form, comment))
    _attempt(
        lambda: comment_moderation.flag_comment(
            person, comment, form.reason.data, form.note.data or ""
        ),
        "Thank you: a moderator will look at this comment.",
    )
    return redirect(_back(form, comment))


def _moderated(comment_id: int):
    person = require_member()
    if not can(person, "hide"):
        abort(403, description="Moderators only.")
    return person, comments.get_comment(person, comment_id)


@bp.post("/comments/<int:comment_id>/hide")
@login_required
@limit_writes
def hide(comment_id):
    person, comment = _moderated(comment_id)
    form = HideForm()
    if not form.validate_on_submit():
        flash("Say why the comment is hidden: its author sees the reason.", "error")
    else:
        _attempt(
            lambda: comment_moderation.hide_comment(person, comment, form.reason.data),
            "The comment is hidden; its author sees your reason.",
        )
    return redirect(_listing_path(comment.contribution_id) + f"#comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/restore")
@login_required
@limit_writes
def restore(comment_id):
    person = require_member()
    if not can(person, "read_hidden") and not comments.is_author_of(person, comment_id):
        abort(403, description="Only a moderator, or its author, restores this comment.")
    comment = comments.get_comment(person, comment_id)
    if not can(person, "restore_comment", comment):
        abort(403, description="Only a moderator, or its author, restores this comment.")
    if not ActionForm().validate_on_submit():
        abort(400, description="The form expired: try again.")
    comment_moderation.restore_comment(person, comment)
    flash("The comment is shown again.", "success")
    return redirect(_listing_path(comment.contribution_id) + f"#comment-{comment.id}")
