"""`flask --app forum import stackexchange DIR --topic SLUG`: what it creates, skips and refuses."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Contribution, ImportedPost, Prompt, Topic
from forum.ranking import UNRATED_SCORE, usefulness_score
from forum.search import get_engine
from tests.importers.conftest import row_counts
from tests.importers.dumps import POSTS, SITE, write_dump, write_table


def _prompt(original_id: int) -> Prompt:
    source = db.session.scalar(select(ImportedPost).filter_by(site=SITE, original_id=original_id))
    return db.session.get(Prompt, source.prompt_id)


def _contribution(original_id: int) -> Contribution:
    source = db.session.scalar(select(ImportedPost).filter_by(site=SITE, original_id=original_id))
    return db.session.get(Contribution, source.contribution_id)


def test_questions_become_prompts_and_answers_contributions(app, imported):
    topic = db.session.scalar(select(Topic).filter_by(slug="coaching"))
    prompts = db.session.scalars(select(Prompt).order_by(Prompt.id)).all()
    assert [p.title for p in prompts] == [
        "How do you build trust with a new client?",
        "Keeping a client motivated",
        "A question listed after its answer",
    ]
    assert {p.topic_id for p in prompts} == {topic.id}
    trust = _prompt(1)
    assert "I want **trust** early." in trust.intro
    assert "<b>trust</b>" in trust.intro_html and "script" not in trust.intro_html
    assert trust.contribution_count == 2
    # Both tag formats: <a><b> and, from 2024 on, |a|b|.
    assert trust.tag_names == ["first-session", "trust"]
    assert _prompt(4).tag_names == ["goals", "motivation"]
    # An answer listed before its question still finds it.
    assert _contribution(13).prompt_id == _prompt(14).id
    assert "zanzibarian" in _contribution(2).body_html


def test_authors_are_credited_by_name_and_belong_to_no_account(app, imported):
    assert (_prompt(1).author_name, _prompt(1).author_id) == ("Ada Lovelace", None)
    assert _prompt(4).author_name == "Old Timer"  # OwnerDisplayName, no account
    assert _contribution(2).author_name == "Grace Hopper"
    assert _contribution(3).author_name == "anonymous"  # an ownerless post
    assert _contribution(3).created_at is not None  # no CreationDate: the import's time


def test_up_and_down_votes_become_imported_ratings(app, imported):
    rated = _contribution(2)
    assert rated.histogram == [1, 0, 0, 0, 3]
    assert (rated.rating_count, rated.rating_sum) == (4, 16)
    assert rated.score == usefulness_score((1, 0, 0, 0, 3))
    assert rated.source.imported_ratings == 4
    unrated = _contribution(3)
    assert (unrated.rating_count, unrated.score) == (0, UNRATED_SCORE)


def test_the_summary_says_what_was_skipped(imported):
    output = imported.output
    assert "3 prompts, 4 contributions" in output
    assert "4 up as 5, 1 down as 1" in output
    for line in ("skipped 1: answers whose question is not in Posts.xml", "skipped 1: tag wiki\n",
                 "skipped 1: moderator nomination", "skipped 1: privilege wiki",
                 "skipped 1: votes on posts not in Posts.xml"):  # fmt: skip
        assert line in output


def test_without_votes_the_score_counts_as_up_or_down_votes(app, tmp_path, run_import):
    posts = [
        {**POSTS[0]},
        {"Id": 2, "PostTypeId": 2, "ParentId": 1, "Body": "<p>Up.</p>", "Score": 2},
        {"Id": 3, "PostTypeId": 2, "ParentId": 1, "Body": "<p>Down.</p>", "Score": -1},
    ]
    folder = write_dump(tmp_path / SITE, posts=posts, users=None, votes=None)
    result = run_import(folder, "--topic", "coaching")
    assert result.exit_code == 0, result.output
    assert _contribution(2).histogram == [0, 0, 0, 0, 2]
    assert _contribution(3).histogram == [1, 0, 0, 0, 0]


def test_a_second_run_adds_nothing(app, imported, run_import, dump):
    before = row_counts()
    again = run_import(dump, "--topic", "coaching")
    assert again.exit_code == 0, again.output
    assert "Nothing new" in again.output
    assert row_counts() == before


def test_a_newer_dump_adds_only_the_new_answers(app, imported, run_import, dump):
    prompt = _prompt(1)
    version = prompt.version
    later = {"Id": 20, "PostTypeId": 2, "ParentId": 1, "Body": "<p>Later answer.</p>"}
    write_table(dump / "Posts.xml", "posts", [*POSTS, later])
    result = run_import(dump, "--topic", "coaching")
    assert result.exit_code == 0, result.output
    assert "0 prompts, 1 contributions" in result.output
    db.session.remove()
    prompt = _prompt(1)
    assert prompt.contribution_count == 3
    assert prompt.version == version + 1  # its cached page is no longer served


def test_a_truncated_posts_file_leaves_the_database_and_index_as_they_were(
    app, imported, run_import, tmp_path
):
    before = row_counts()
    index_before = get_engine().stored_state()
    folder = write_dump(tmp_path / "other.stackexchange.com")
    text = (folder / "Posts.xml").read_text()
    (folder / "Posts.xml").write_text(text[: len(text) // 2])

    result = run_import(folder, "--topic", "other")

    assert result.exit_code == 1
    assert "Posts.xml line " in result.output and "Nothing was imported" in result.output
    assert row_counts() == before
    assert get_engine().stored_state() == index_before


def test_a_malformed_votes_file_stops_before_anything_is_written(app, run_import, dump):
    before = row_counts()
    (dump / "Votes.xml").write_text("<votes><row Id='1' PostId='2' VoteTypeId='2'></votes>")
    result = run_import(dump, "--topic", "coaching")
    assert result.exit_code == 1
    assert "Votes.xml line 1: mismatched tag" in result.output
    assert row_counts() == before


def test_a_folder_without_posts_is_refused(app, run_import, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_import(tmp_path / "empty", "--topic", "coaching")
    assert result.exit_code == 1
    assert "holds no Posts.xml" in result.output


def test_a_folder_of_sites_gets_one_topic_per_site(app, run_import, tmp_path):
    write_dump(tmp_path / "all" / "coaching.stackexchange.com")
    write_dump(tmp_path / "all" / "coaching.meta.stackexchange.com")
    result = run_import(tmp_path / "all")
    assert result.exit_code == 0, result.output
    slugs = set(db.session.scalars(select(Topic.slug)))
    assert {"coaching", "coaching-meta"} <= slugs
    assert db.session.query(Prompt).count() == 6
