"""Logging in and out, registering, and a member's public profile."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from forum.extensions import limiter
from forum.limits import count_failed_login, form_account, limit_logins, register_limit
from forum.permissions import can
from forum.security import viewer
from forum.services import accounts, email_accounts, hidden_content, profiles
from forum.services.errors import Invalid
from forum.web import evidence
from forum.web.forms import ActionForm, LoginForm, RegisterForm
from forum.web.helpers import page_arg, safe_next, show_errors

bp = Blueprint("accounts", __name__)

WRONG_CREDENTIALS = "Wrong username or password."


@bp.route("/login", methods=["GET", "POST"])
@limit_logins(form_account)
def login():
    """Log in with username and password; `next` is followed only within this site."""
    form = LoginForm(data={"next": request.args.get("next", "")})
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.display_name}.", "success")
            return redirect(safe_next(form.next.data) or url_for("home.index"))
        # The same words whether the name or the password was wrong: no account probing.
        count_failed_login()
        form.form_errors.append(WRONG_CREDENTIALS)
    elif viewer() is not None and not form.is_submitted():
        return redirect(safe_next(form.next.data) or url_for("home.index"))
    return render_template("login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out: a POST from the header's button, never a link a page could trigger."""
    if ActionForm().validate_on_submit():
        person = viewer()
        if person is not None:
            accounts.end_sessions(person)
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("home.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(register_limit, methods=["POST"])
def register():
    """Create an account, show what is wrong next to each field, then log the member in."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(
                form.username.data,
                form.email.data,
                form.password.data,
                form.display_name.data or None,
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            email_accounts.send_confirmation(user)
            login_user(user)
            flash(
                f"Welcome to Commonplace, {user.display_name}. We sent a link to {user.email}: "
                "open it to confirm your address.",
                "success",
            )
            return redirect(url_for("home.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("register.html", form=form), status


@bp.get("/u/<username>")
def profile(username):
    """A member's public profile and their visible contributions, most useful first."""
    user = accounts.get_user(username)
    page = profiles.contributions_of(user, page=page_arg(), per_page=current_app.config["PER_PAGE"])
    person = viewer()
    return render_template(
        "profile.html",
        user=user,
        page=page,
        profile=profiles.profile_of(user),
        mostly=evidence.mostly_of(c.id for c in page.items if c.outcome_count),
        # What moderators hid of this member's, for moderators only.
        hidden=hidden_content.hidden_of(person, user) if can(person, "read_hidden") else None,
    )
