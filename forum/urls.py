"""Links to the pages people read, shared by templates and the API."""

from __future__ import annotations

from flask import url_for


def prompt_url(prompt, external: bool = True) -> str:
    return url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug, _external=external)


def contribution_url(contribution, external: bool = True) -> str:
    return url_for("contributions.show", contribution_id=contribution.id, _external=external)


def profile_url(user, external: bool = True) -> str:
    return url_for("accounts.profile", username=user.username, _external=external)
