"""The change stream (forum/changes.py): every write, made by the ORM or by SQL, reaches every
listener inside its own transaction, and a rollback takes back whatever they wrote."""

from __future__ import annotations

import pytest

from forum import changes
from forum.extensions import db
from forum.models import Contribution, Prompt
from forum.services import accounts, prompts, ratings
from tests.factories import make_contribution, make_prompt, make_user
from tests.helpers import fresh


class Recorder:
    def __init__(self):
        self.heard: list[changes.Changes] = []
        self.ends: list[str] = []

    def noted(self, connection, changed, info):
        self.heard.append(changed)

    def committed(self, info):
        self.ends.append("committed")

    def rolled_back(self, info):
        self.ends.append("rolled back")


@pytest.fixture
def recorder(app, monkeypatch):
    listening = Recorder()
    monkeypatch.setattr(changes, "_listeners", [*changes._listeners, listening])
    return listening


def heard(recorder) -> changes.Changes:
    """Everything the recorder heard, merged."""
    merged = changes.Changes()
    for one in recorder.heard:
        merged.prompts |= one.prompts
        merged.contributions |= one.contributions
        merged.rescored |= one.rescored
        merged.tried |= one.tried
        merged.prompt_votes |= one.prompt_votes
        merged.authors |= one.authors
    return merged


def test_a_new_contribution_is_heard_with_its_prompt(recorder):
    prompt = make_prompt()
    recorder.heard.clear()

    answer = make_contribution(prompt=prompt, body="Start with one small promise.")

    assert heard(recorder).contributions == {answer.id: prompt.id}
    assert recorder.ends[-1] == "committed"


def test_a_rating_moved_by_sql_is_heard_as_its_contributions_usefulness_not_its_text(recorder):
    answer = make_contribution()
    recorder.heard.clear()

    ratings.rate(make_user(), answer, 4)

    changed = heard(recorder)
    assert changed.rescored == {answer.id: answer.prompt_id} and changed.contributions == {}
    assert changed.pages() == {answer.prompt_id}


def test_a_helpful_vote_is_heard_as_a_change_to_the_prompts_page_only(recorder):
    prompt = make_prompt()
    recorder.heard.clear()

    prompts.rate_prompt(make_user(), prompt, True)

    changed = heard(recorder)
    assert changed.prompt_votes == {prompt.id}
    assert changed.prompts == set() and changed.contributions == {}
    assert changed.pages() == {prompt.id}


def test_a_new_display_name_is_heard_as_a_change_to_its_author(recorder):
    author = make_user()
    recorder.heard.clear()

    accounts.update_profile(author, display_name="Robin the Coach")

    assert heard(recorder).authors == {author.id}


def test_a_rolled_back_write_is_heard_then_undone_with_what_listeners_wrote(recorder):
    prompt = make_prompt()
    version = prompt.version
    recorder.heard.clear()
    db.session.add(
        Contribution(
            prompt_id=prompt.id,
            author_id=make_user().id,
            author_name="someone",
            body="Never kept.",
            body_html="<p>Never kept.</p>",
        )  # fmt: skip
    )
    db.session.flush()
    assert list(heard(recorder).contributions.values()) == [prompt.id]

    db.session.rollback()

    assert recorder.ends[-1] == "rolled back"
    assert fresh(Prompt, prompt.id).version == version  # the page version moved back with it


def test_a_page_version_moves_with_every_kind_of_change(app):
    prompt = make_prompt()
    versions = [fresh(Prompt, prompt.id).version]
    answer = make_contribution(prompt=prompt)
    versions.append(fresh(Prompt, prompt.id).version)
    ratings.rate(make_user(), answer, 5)
    versions.append(fresh(Prompt, prompt.id).version)
    prompts.rate_prompt(make_user(), fresh(Prompt, prompt.id), False)
    versions.append(fresh(Prompt, prompt.id).version)

    assert versions == sorted(set(versions))  # each step moved it forward
