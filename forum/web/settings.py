"""A member's settings: profile, email, password and API tokens. Every response here is
private."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required, login_user

from forum.limits import limit_writes
from forum.services import accounts, email_accounts
from forum.services.errors import Invalid
from forum.web.forms import (
    ActionForm,
    EmailForm,
    MailSettingsForm,
    PasswordForm,
    ProfileForm,
    TokenForm,
)
from forum.web.helpers import private, require_member, show_errors

bp = Blueprint("settings", __name__, url_prefix="/settings")

# The session key that carries a new token's secret from its POST to the one GET that shows it.
SHOW_ONCE_KEY = "new_token"


@bp.before_request
def _private():
    private()


def _page(status=200, **forms):
    """The settings page; any form passed in replaces the blank one (with its errors)."""
    person = require_member()
    forms.setdefault(
        "profile_form",
        ProfileForm(
            formdata=None,
            data={
                "display_name": person.display_name,
                "headline": person.headline,
                "bio": person.bio,
            },
        ),
    )
    forms.setdefault("password_form", PasswordForm(formdata=None))
    forms.setdefault("email_form", EmailForm(formdata=None))
    forms.setdefault(
        "mail_form",
        MailSettingsForm(
            formdata=None,
            data={"email_notifications": person.email_notifications, "digest": person.digest},
        ),
    )
    forms.setdefault("token_form", TokenForm(formdata=None))
    forms.setdefault("new_token", None)
    return render_template(
        "settings.html",
        tokens=accounts.list_tokens(person),
        **forms,
    ), status


@bp.get("")
@login_required
def index():
    """The settings page with blank forms; right after a token is created, its secret on top,
    this once (taken out of the session, so reloading does not show or create it again)."""
    return _page(new_token=session.pop(SHOW_ONCE_KEY, None))


@bp.post("/profile")
@login_required
@limit_writes
def profile():
    """Save display name, headline and bio."""
    form = ProfileForm()
    if form.validate_on_submit():
        try:
            accounts.update_profile(
                require_member(),
                display_name=form.display_name.data,
                headline=form.headline.data or "",
                bio=form.bio.data or "",
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("settings.index"))
    return _page(422, profile_form=form)


@bp.post("/email")
@login_required
@limit_writes
def email():
    """Change the address: a link goes to the new one, which replaces the old once opened."""
    form = EmailForm()
    if form.validate_on_submit():
        try:
            email_accounts.change_email(
                require_member(), form.current_password.data, form.email.data
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(
                f"We sent a link to {form.email.data.strip()}: open it to make it your address. "
                "Until then your address stays as it is.",
                "success",
            )
            return redirect(url_for("settings.index"))
    return _page(422, email_form=form)


@bp.post("/email/confirmation")
@login_required
@limit_writes
def send_confirmation():
    """Send the confirmation link again."""
    person = require_member()
    if ActionForm().validate_on_submit() and not person.email_confirmed:
        if email_accounts.send_confirmation(person):
            flash(f"We sent a new confirmation link to {person.email}.", "success")
        else:
            flash(email_accounts.CONFIRMATIONS_SPENT, "error")
    return redirect(url_for("settings.index"))


@bp.post("/notifications")
@login_required
@limit_writes
def notifications():
    """How notifications and digests reach the member by email."""
    form = MailSettingsForm()
    if form.validate_on_submit():
        accounts.update_profile(
            require_member(),
            email_notifications=form.email_notifications.data,
            digest=form.digest.data,
        )
        flash("Your email settings are saved.", "success")
        return redirect(url_for("settings.index"))
    return _page(422, mail_form=form)


@bp.post("/password")
@login_required
@limit_writes
def password():
    """Change the password; other sessions end, this one continues."""
    form = PasswordForm()
    if form.validate_on_submit():
        person = require_member()
        try:
            accounts.change_password(person, form.current_password.data, form.new_password.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            # The change ended every session (session_version); start this one again.
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(person, remember=cookie in request.cookies)
            flash(
                "Your password is changed: other devices are logged out and API tokens revoked.",
                "success",
            )
            return redirect(url_for("settings.index"))
    return _page(422, password_form=form)


@bp.post("/tokens")
@login_required
@limit_writes
def create_token():
    """Create a token, then redirect: the settings page shows its secret once, on top (it
    travels in the session to that one page, never in an address), and reloading that page
    neither shows it again nor creates another; afterwards only its name is listed."""
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, secret = accounts.create_token(require_member(), form.name.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            session[SHOW_ONCE_KEY] = {"name": token.name, "secret": secret}
            return redirect(url_for("settings.index"))
    return _page(422, token_form=form)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
@limit_writes
def revoke_token(token_id):
    """Revoke one of the member's own API tokens."""
    if ActionForm().validate_on_submit():
        accounts.revoke_token(require_member(), token_id)
        flash("The token is revoked: it stops working at once.", "success")
    return redirect(url_for("settings.index"))
