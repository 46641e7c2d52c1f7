"""The pages emailed links lead to, none needing a sign-in: confirming an address, a new
password after "Forgot password?", and unsubscribing. Every one is private (never cached)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from forum.extensions import csrf, limiter
from forum.limits import address_key, limit_writes, password_reset_limit
from forum.services import email_accounts
from forum.services.errors import Conflict, Invalid
from forum.web.forms import ActionForm, ForgotPasswordForm, NewPasswordForm
from forum.web.helpers import private, show_errors

bp = Blueprint("email_links", __name__)

RESET_SENT = (
    "If an account uses that address, we have sent it a link to set a new password. "
    "It works for one hour."
)


@bp.before_request
def _private():
    private()


@bp.get("/email/confirm/<token>")
def confirm(token):
    """Opening the link confirms the address (no sign-in needed)."""
    try:
        user = email_accounts.confirm_email(token)
    except Conflict as error:
        return render_template("email_link_invalid.html", message=error.message), 409
    if user is None:
        message = "This confirmation link has expired or was already used."
        return render_template("email_link_invalid.html", message=message), 404
    return render_template("email_confirmed.html", email=user.email)


@bp.route("/password-reset", methods=["GET", "POST"])
@limit_writes
@limiter.shared_limit(
    password_reset_limit, scope="password-reset", key_func=address_key, methods=["POST"]
)
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email_accounts.request_password_reset(form.email.data)
        flash(RESET_SENT, "info")
        return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("password_forgot.html", form=form), status


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limit_writes
def reset_password(token):
    """Choose a new password; it logs the member out everywhere and revokes their tokens."""
    if email_accounts.reset_token(token) is None:
        message = "This link has expired or was already used."
        return render_template("email_link_invalid.html", message=message, reset=True), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            email_accounts.reset_password(token, form.new_password.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("Your new password is set. Log in with it.", "success")
            return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("password_reset.html", form=form, token=token), status


@bp.route("/email/unsubscribe/<token>", methods=["GET", "POST"])
@limit_writes
@csrf.exempt  # the signed token is the proof; mail clients POST it without a form (RFC 8058)
def unsubscribe(token):
    """GET: a page with one button. POST (that button, or a mail client's one-click
    `List-Unsubscribe=One-Click`): no more notification emails or digests."""
    user = email_accounts.unsubscriber(token)
    if user is None:
        message = "This unsubscribe link is not valid."
        return render_template("email_link_invalid.html", message=message), 404
    if request.method == "POST":
        email_accounts.unsubscribe(user)
        return render_template("unsubscribe.html", done=True, form=None)
    return render_template("unsubscribe.html", done=False, form=ActionForm(), token=token)
