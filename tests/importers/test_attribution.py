"""Imported content as readers see it: attributed on pages and in the API, rated, searchable."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Contribution, ImportedPost
from forum.search.whoosh import engine as whoosh_engine
from forum.search.whoosh import outbox
from forum.services import moderation, ratings
from forum.services.recount import recount
from tests.factories import PASSWORD, make_contribution, make_moderator, make_prompt, make_user
from tests.helpers import outbox_rows
from tests.importers.dumps import SITE
from tests.search.helpers import found


def _source(original_id: int) -> ImportedPost:
    return db.session.scalar(select(ImportedPost).filter_by(site=SITE, original_id=original_id))


def test_the_prompt_page_credits_site_post_and_authors(app, client, imported):
    prompt_id = _source(1).prompt_id
    page = client.get(f"/prompts/{prompt_id}", follow_redirects=True).get_data(as_text=True)
    assert f'href="https://{SITE}/q/1"' in page
    assert f'href="https://{SITE}/a/2"' in page
    assert "Ada Lovelace" in page and "Grace Hopper" in page and "anonymous" in page
    assert page.count("CC BY-SA") == 3  # the question and its two answers
    # Imported ratings are labelled where the rating count shows.
    assert "from 4 ratings</a>, 4 imported" in page
    assert "<script>alert(1)</script>" not in page


def test_the_api_carries_a_source_object_and_null_for_native_content(app, client, imported):
    prompt_id = _source(1).prompt_id
    body = client.get(f"/api/v1/prompts/{prompt_id}").get_json()
    assert body["source"] == {
        "site": SITE, "original_id": 1, "url": f"https://{SITE}/q/1",
        "author_name": "Ada Lovelace", "license": "CC BY-SA 4.0", "up_votes": 1, "down_votes": 0,
    }  # fmt: skip
    assert body["author"] == {"username": None, "display_name": "Ada Lovelace"}
    items = client.get(f"/api/v1/prompts/{prompt_id}/contributions").get_json()["items"]
    by_url = {item["source"]["url"]: item for item in items}
    answer = by_url[f"https://{SITE}/a/2"]
    assert (answer["source"]["up_votes"], answer["source"]["down_votes"]) == (3, 1)
    # No ContentLicense: the licence in force when it was posted (2019), linked on the page.
    assert answer["source"]["license"] == "CC BY-SA 4.0"
    assert by_url[f"https://{SITE}/a/3"]["source"]["license"] == "CC BY-SA"  # no date known
    assert answer["rating"]["histogram"] == [1, 0, 0, 0, 3]
    native = make_contribution(prompt=make_prompt())
    assert client.get(f"/api/v1/contributions/{native.id}").get_json()["source"] is None
    assert client.get(f"/api/v1/prompts/{native.prompt_id}").get_json()["source"] is None


def test_members_rate_imported_contributions_and_recount_keeps_imported_ratings(app, imported):
    contribution = db.session.get(Contribution, _source(2).contribution_id)
    ratings.rate(make_user(), contribution, 4)
    assert contribution.histogram == [1, 0, 0, 1, 3]
    expected_score = contribution.score

    assert recount() == {"contributions": 0, "prompts": 0, "comment_counts": 0, "outcomes": 0}

    # Counters gone wrong are rebuilt from members' ratings plus the imported ones.
    db.session.execute(update(Contribution).values(n1=0, n5=0, rating_count=0, rating_sum=0))
    db.session.commit()
    assert recount()["contributions"] >= 1
    db.session.refresh(contribution)
    assert contribution.histogram == [1, 0, 0, 1, 3]
    assert (contribution.rating_count, contribution.rating_sum) == (5, 20)
    assert contribution.score == expected_score


def test_recount_command_reports_nothing_to_fix_after_an_import(runner, imported):
    result = runner.invoke(args=["recount"])
    assert result.exit_code == 0
    assert "Fixed 0 contribution(s) and 0 prompt(s)." in result.output


def test_imported_text_is_found_by_search_and_the_index_has_no_drift(app, client, runner, imported):
    contribution_id = _source(2).contribution_id
    assert ("contribution", contribution_id) in found(client, "zanzibarian")
    assert ("prompt", _source(4).prompt_id) in found(client, "motivated")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "missing: 0" in result.output


def test_an_imported_contribution_has_its_own_page_and_moderators_can_hide_it(
    app, client, imported
):
    contribution = db.session.get(Contribution, _source(2).contribution_id)
    page = client.get(f"/contributions/{contribution.id}", follow_redirects=True)
    assert page.status_code == 200
    assert f"https://{SITE}/a/2" in page.get_data(as_text=True)

    moderation.hide(make_moderator(), contribution, "off topic")

    assert ("contribution", contribution.id) not in found(client, "zanzibarian")
    assert client.get(f"/api/v1/contributions/{contribution.id}").status_code == 404


def test_a_big_import_rebuilds_the_index_and_leaves_nothing_queued(
    app, client, runner, run_import, dump, monkeypatch
):
    monkeypatch.setattr(whoosh_engine, "REBUILD_FROM", 1)  # this small dump counts as a big import
    old_id = make_contribution(prompt=make_prompt(), body="Native zanzibarian advice.").id

    result = run_import(dump, "--topic", "coaching")

    assert result.exit_code == 0, result.output
    assert "index rebuilt with 9 documents" in result.output
    assert found(client, "zanzibarian") == {
        ("contribution", old_id),
        ("contribution", _source(2).contribution_id),
    }
    assert outbox_rows() == 0
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output


def test_a_big_import_while_another_process_writes_the_index_leaves_it_queued_not_lost(
    app, client, run_import, dump, monkeypatch
):
    monkeypatch.setattr(whoosh_engine, "REBUILD_FROM", 1)
    monkeypatch.setattr(whoosh_engine, "REBUILD_WAITS", 0.05)
    with outbox.writer_lock(Path(app.config["SEARCH_PATH"]), wait=0):
        result = run_import(dump, "--topic", "coaching")

        assert result.exit_code == 0, result.output
        assert "left queued: another process is writing the index" in result.output
        assert outbox_rows() > 0

    # The next search applies what waited.
    assert ("contribution", _source(2).contribution_id) in found(client, "zanzibarian")
    assert outbox_rows() == 0


def test_a_signed_in_member_can_rate_an_imported_contribution_on_its_page(app, client, imported):
    member = make_user()
    response = client.post("/login", data={"username": member.username, "password": PASSWORD})
    assert response.status_code == 302
    source = _source(2)
    page = client.get(f"/prompts/{_source(1).prompt_id}", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    rating_form = f'action="/contributions/{source.contribution_id}/rating"'
    assert rating_form in html and 'name="score" value="5"' in html
    assert f"/contributions/{source.contribution_id}/edit" not in html  # nobody here wrote it
