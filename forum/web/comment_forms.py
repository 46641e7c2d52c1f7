"""The forms of comments (each with its CSRF token); the services judge the content."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired

from forum.models.comment import COMMENT_MAX_LENGTH

KIND_LABELS = {
    "question": "A question to the author",
    "context": "Added context",
    "counter": "A different experience",
}
# What a comment's kind is called beside it.
KIND_BADGES = {"question": "Question", "context": "Context", "counter": "Counter-experience"}
KIND_CHOICES = [SelectChoice(kind, label) for kind, label in KIND_LABELS.items()]
COMMENT_HINT = (
    f"At most {COMMENT_MAX_LENGTH:,} characters. Markdown works (no headings or images); "
    "@username mentions a member."
)


class CommentForm(FlaskForm):
    kind = SelectField("What is it?", choices=KIND_CHOICES, default="question")
    body = TextAreaField("Your comment", validators=[InputRequired()], description=COMMENT_HINT)
    next = HiddenField()


class EditCommentForm(FlaskForm):
    body = TextAreaField("Your comment", validators=[InputRequired()], description=COMMENT_HINT)
    next = HiddenField()
