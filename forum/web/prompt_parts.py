"""What each reader sees of their own on a prompt's page, around its cards: the fillers of the
part(...) holes in templates/macros/prompts.html (forum/page_parts.py): the edit link, the
moderators' tools, the "helpful" vote and the contribute form. What many readers see alike is
kept as a variant, keyed by exactly what the macro is passed."""

from __future__ import annotations

from wtforms import SelectChoice

from forum.page_parts import Fill, filler, macro
from forum.permissions import can, is_active
from forum.services.member_state import NOBODY
from forum.web.forms import ContributionForm

PROMPTS = "macros/prompts.html"
MODERATION = "macros/moderation.html"


@filler("prompt_edit_link")
def _prompt_edit_link(fill: Fill, prompt_id) -> bytes | str:
    key = ("prompt_edit_link", can(fill.person, "edit_prompt"), prompt_id)
    return fill.variant(key, lambda: macro(PROMPTS, "prompt_edit_link")(*key[1:]))


@filler("prompt_tools")
def _prompt_tools(fill: Fill, prompt_id, status) -> bytes | str:
    key = ("prompt_tools", can(fill.person, "edit_prompt"), prompt_id, status)
    return fill.variant(key, lambda: macro(MODERATION, "prompt_tools")(*key[1:]))


@filler("helpful_vote")
def _helpful_vote(fill: Fill, prompt_id, login_path) -> bytes | str:
    person, mine = fill.person, None
    if person is None:
        kind = "login"
    elif can(person, "rate_prompt"):
        kind, mine = "forms", (fill.state or NOBODY).helpful
    else:
        kind = ""
    key = ("helpful_vote", kind, prompt_id, mine, login_path)
    return fill.variant(key, lambda: macro(PROMPTS, "helpful_vote")(*key[1:]))


@filler("contribute")
def _contribute(fill: Fill, prompt_id, status, key_points, login_path) -> bytes | str:
    """The contribute form, or why there is none."""
    person, area = fill.person, macro(PROMPTS, "contribute_area")
    if status != "open":
        return fill.variant(("contribute", status), lambda: area(status, prompt_id))
    if person is None:
        key = ("contribute", "anonymous", prompt_id, login_path)
        return fill.variant(key, lambda: area("anonymous", prompt_id, login_path=login_path))
    if not is_active(person):
        return area("suspended", prompt_id, suspension_reason=person.suspension_reason)
    listed = bool(key_points)
    sent = fill.extras.get("contribute_form")
    if sent is not None:  # sent back with what was typed and what was wrong
        return area("form", prompt_id, _choosing(sent, key_points), with_key_points=listed)
    key = ("contribute", "form", prompt_id, key_points)
    return fill.variant(
        key,
        lambda: area(
            "form",
            prompt_id,
            _choosing(ContributionForm(formdata=None), key_points),
            with_key_points=listed,
        ),
    )


def _choosing(form: ContributionForm, key_points) -> ContributionForm:
    form.key_point_id.choices = [SelectChoice("", "None in particular")] + [
        SelectChoice(ident, title) for ident, title in key_points
    ]
    return form
