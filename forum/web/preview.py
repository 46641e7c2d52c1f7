"""Preview: Markdown as it will show, before it is posted. The writing forms (a prompt, a
contribution, a comment) send their text here from static/preview.js and show the answer under
the text box; without JavaScript the forms post as before. The same renderer as the posted text
(forum/rendering.py), so the preview is what readers will see."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import login_required

from forum.limits import limit_writes
from forum.rendering import render_comment, render_markdown
from forum.services.mention_links import mention_links
from forum.web.helpers import private

bp = Blueprint("preview", __name__)

# Comments have a renderer of their own (no headings, no images) and a shorter limit.
KINDS = {"contribution": render_markdown, "prompt": render_markdown, "comment": render_comment}
COMMENT_LIMIT = 2_000


@bp.post("/preview")
@login_required
@limit_writes
def render():
    """The sanitized HTML of the `body` sent, as `kind` ("contribution", "prompt" or
    "comment") renders it: {"html": "..."}; 413 when the text is longer than that kind takes."""
    kind = request.form.get("kind", "contribution")
    if kind not in KINDS:
        return jsonify(error=f"Unknown kind of text: choose one of {', '.join(KINDS)}."), 400
    body = request.form.get("body", "")
    limit = COMMENT_LIMIT if kind == "comment" else current_app.config["LIMIT_BODY"]
    if len(body) > limit:
        return jsonify(error=f"The text is longer than {limit:,} characters."), 413
    private()
    # A prompt's intro links no @names (forum/services/prompts.py); the others do.
    mentions = mention_links(body) if kind != "prompt" else None
    return jsonify(html=KINDS[kind](body, mentions))
