"""The HTML forms. Each FlaskForm carries a CSRF token; the services stay the judges of content,
so validators here only catch what a person can fix before a service is asked."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import DateField, EmailField, SelectMultipleField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from forum.models.moderation import FLAG_REASONS
from forum.models.prompt import PROMPT_STATUSES
from forum.models.user import DIGESTS, EMAIL_NOTIFICATIONS, ROLES

FLAG_REASON_LABELS = {
    "spam": "Spam or advertising",
    "abuse": "Abusive or disrespectful",
    "off_topic": "Off topic",
    "other": "Something else",
}
FLAG_CHOICES = [SelectChoice(reason, FLAG_REASON_LABELS[reason]) for reason in FLAG_REASONS]
MARKDOWN_HINT = "Markdown works: **bold**, *italic*, lists and links. Add #tags with a hash sign."


def optional_int(value) -> int | None:
    """Select values: an id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    return int(value)


class ActionForm(FlaskForm):
    """A button that changes something and carries nothing but its CSRF token."""


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired()])
    password = PasswordField("Password", validators=[InputRequired()])
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[InputRequired()],
        description="3 to 30 characters: a-z, 0-9, _ and -.",
    )
    email = EmailField("Email", validators=[InputRequired()])
    display_name = StringField(
        "Display name", description="Shown with what you write. Defaults to your username."
    )
    password = PasswordField(
        "Password", validators=[InputRequired()], description="At least 10 characters."
    )


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[InputRequired()])
    headline = StringField("Headline", description='For example "Executive coach, ICF PCC".')
    bio = TextAreaField("About you")


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[InputRequired()])
    new_password = PasswordField(
        "New password", validators=[InputRequired()], description="At least 10 characters."
    )


class EmailForm(FlaskForm):
    email = EmailField("New email address", validators=[InputRequired()])
    current_password = PasswordField("Current password", validators=[InputRequired()])


EMAIL_NOTIFICATION_LABELS = {
    "immediately": "Immediately: one email for what arrives within five minutes",
    "digest": "In the digest only",
    "off": "Never by email (the inbox on the site still has them)",
}
DIGEST_LABELS = {"daily": "Daily", "weekly": "Weekly", "off": "Never"}


class MailSettingsForm(FlaskForm):
    email_notifications = SelectField(
        "Email me notifications",
        choices=[SelectChoice(v, EMAIL_NOTIFICATION_LABELS[v]) for v in EMAIL_NOTIFICATIONS],
    )
    digest = SelectField(
        "Digest of what is new in what I follow",
        choices=[SelectChoice(v, DIGEST_LABELS[v]) for v in DIGESTS],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Your account's email address", validators=[InputRequired()])


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(
        "New password", validators=[InputRequired()], description="At least 10 characters."
    )


class TokenForm(FlaskForm):
    name = StringField("Token name", description='What it is for, e.g. "reporting script".')


class ContributionForm(FlaskForm):
    body = TextAreaField("Your experience", validators=[InputRequired()], description=MARKDOWN_HINT)
    key_point_id = SelectField(
        "Which key point does it answer?",
        coerce=optional_int,
        validate_choice=False,  # the service knows the prompt's key points
    )


class EditContributionForm(FlaskForm):
    body = TextAreaField("Your experience", validators=[InputRequired()], description=MARKDOWN_HINT)


class RatingForm(FlaskForm):
    score = IntegerField(validators=[Optional(), NumberRange(1, 5, "Choose a score from 1 to 5.")])
    remove = SubmitField("Remove my rating")
    next = HiddenField()


class FlagForm(FlaskForm):
    reason = SelectField("Reason", choices=FLAG_CHOICES, default="spam")
    note = StringField("Note for the moderators (optional)")
    next = HiddenField()


class HelpfulForm(FlaskForm):
    helpful = HiddenField(validators=[AnyOf(("yes", "no", "withdraw"))])


class KeyPointRow(Form):
    """One row of a prompt's key points; an empty row is ignored."""

    point_id = HiddenField(filters=[lambda v: int(v) if str(v or "").isdigit() else None])
    title = StringField("Title")
    body = TextAreaField("What it means")


class PromptForm(FlaskForm):
    title = StringField("Title (the question)", validators=[InputRequired()])
    intro = TextAreaField(
        "Introduction", description="Markdown. A few sentences that set the scene."
    )
    # The choices start with an empty "Choose a topic" (forum/web/prompt_editor.py): no topic
    # is picked for the editor, so none is filed under the first one by mistake.
    topic = SelectField("Topic", validators=[InputRequired("Choose a topic for the prompt.")])
    tags = StringField("Tags", description="Comma separated, e.g. motivation, trust.")
    status = SelectField(
        "Status",
        choices=[SelectChoice(s, s.capitalize()) for s in PROMPT_STATUSES],
        description="Locked and archived prompts take no new contributions.",
    )
    key_points = FieldList(FormField(KeyPointRow))


class StrategyFilter(Form):
    """The GET filter of /strategies: no CSRF, the URL is shareable."""

    topic = SelectField("Topic", validate_choice=False)
    min_ratings = IntegerField(
        "At least this many ratings", default=1, validators=[Optional(), NumberRange(0, 10_000)]
    )


class LogFilter(Form):
    """The GET filter of the audit log: no CSRF, the URL is shareable. The moderator and action
    choices are set by the view; a value outside them is a clear message, not a 500."""

    moderator = SelectField("Moderator", choices=[SelectChoice("", "Anyone")], default="")
    action = SelectField("Action", choices=[SelectChoice("", "Any action")], default="")
    since = DateField(
        "From",
        validators=[Optional()],
        description="A day, YYYY-MM-DD (UTC).",
    )
    until = DateField("To", validators=[Optional()], description="Included.")

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end of the range comes after its start.")


RESOLUTION_CHOICES = [
    SelectChoice("dismiss", "Dismiss the flags (nothing wrong)"),
    SelectChoice("hide", "Hide the contribution"),
    SelectChoice("delete", "Delete the contribution"),
]


class ResolveForm(FlaskForm):
    """A moderator's decision on the open flags of one or, in bulk, several contributions."""

    action = SelectField("Decision", choices=RESOLUTION_CHOICES, default="dismiss")
    note = StringField(
        "Note (optional)", description="When hiding, the author sees this as the reason."
    )
    contributions = SelectMultipleField(coerce=int, validate_choice=False)


class HideForm(FlaskForm):
    reason = StringField("Reason", validators=[InputRequired()], description="The author sees it.")


class SuspendForm(FlaskForm):
    reason = StringField("Reason", validators=[InputRequired()])
    until = DateField(
        "Until (optional)", validators=[Optional()], description="Leave empty: until lifted."
    )


class LockForm(FlaskForm):
    """Locking a prompt says why; the audit log keeps the reason."""

    reason = StringField(
        "Reason",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired("Say why the prompt is locked.")],
    )


class PurgeForm(FlaskForm):
    reason = StringField("Reason", validators=[InputRequired()])
    confirm = StringField(
        "Type the username to confirm",
        validators=[InputRequired("Type the member's username to confirm the purge.")],
    )


class RedactForm(FlaskForm):
    """Remove the text of one earlier version (revision_id), or of every earlier version."""

    reason = StringField("Reason", validators=[InputRequired()])
    revision_id = IntegerField(validators=[Optional()])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r, r.capitalize()) for r in ROLES])
