"""`flask --app forum search reindex` and `search check` (docs/architecture.md, "Search"). Whoosh's
generations and drift; the PostgreSQL engine's own are in test_postgres_engine.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from forum.search import documents, get_engine, maintenance
from forum.search.query import parse
from forum.search.whoosh import engine as whoosh_engine
from forum.search.whoosh import outbox
from forum.services import moderation
from tests.factories import make_contribution, make_moderator, make_prompt
from tests.search.helpers import found, indexed_keys


@pytest.fixture
def corpus(app):
    """Two prompts and three contributions, one of them hidden: four documents, three of them
    found by "listening" (the second prompt's title does not say it)."""
    first = make_prompt(title="Listening well")
    second = make_prompt(title="Setting boundaries")
    kept = [
        make_contribution(prompt=first, body="Listening without fixing."),
        make_contribution(prompt=second, body="Listening to what is not said."),
    ]
    hidden = make_contribution(prompt=second, body="Listening spam.")
    moderation.hide(make_moderator(), hidden, "spam")
    return {"prompts": [first, second], "contributions": kept}


def live_generation(app) -> str:
    return (Path(app.config["SEARCH_PATH"]) / "CURRENT").read_text().strip()


@pytest.mark.whoosh_only
def test_reindex_rebuilds_into_a_new_generation_and_prints_the_count(app, client, runner, corpus):
    before = found(client, "listening")

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "Indexed 4 documents" in result.output
    assert live_generation(app) == "g2"
    assert found(client, "listening") == before
    assert len(before) == 3


@pytest.mark.whoosh_only
def test_searches_keep_answering_from_the_old_index_while_a_rebuild_runs(
    app, client, corpus, monkeypatch
):
    engine = get_engine()
    every_document = documents.all_documents
    expected = indexed_keys("listening")
    answered_midway = []

    def documents_with_a_search_halfway():
        rows = list(every_document())
        for n, document in enumerate(rows):
            if n == len(rows) // 2:
                assert live_generation(app) == "g1"
                answered_midway.append({hit.key for hit in engine.search(parse("listening"), 50)})
                answered_midway.append(found(client, "listening"))
            yield document

    monkeypatch.setattr(documents, "all_documents", documents_with_a_search_halfway)
    rebuilt = engine.rebuild()

    assert rebuilt.documents == 4
    assert answered_midway[0] == expected
    assert len(answered_midway[1]) == 3
    assert live_generation(app) == "g2"
    assert indexed_keys("listening") == expected


@pytest.mark.whoosh_only
def test_a_failed_rebuild_leaves_the_live_index_alone(app, client, corpus, monkeypatch):
    engine = get_engine()
    expected = indexed_keys("listening")
    every_document = documents.all_documents

    def broken():
        yield from list(every_document())[:1]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(documents, "all_documents", broken)
    with pytest.raises(RuntimeError, match="went away"):
        engine.rebuild()

    assert live_generation(app) == "g1"
    assert indexed_keys("listening") == expected
    assert not (Path(app.config["SEARCH_PATH"]) / "g2").exists()


def generations(app) -> list[str]:
    return sorted(p.name for p in Path(app.config["SEARCH_PATH"]).glob("g*"))


@pytest.mark.whoosh_only
def test_a_rebuild_keeps_the_generation_that_was_live_before_it(app, runner, corpus):
    """Other workers may still be reading it until their next search notices the swap."""
    for _ in range(2):
        assert runner.invoke(args=["search", "reindex"]).exit_code == 0

    assert live_generation(app) == "g3"
    assert "g2" in generations(app)


@pytest.mark.whoosh_only
def test_older_generations_are_cleared_as_searches_move_on(app, client, runner, corpus):
    for _ in range(3):
        assert runner.invoke(args=["search", "reindex"]).exit_code == 0
        assert len(found(client, "listening")) == 3

    assert generations(app) == ["g3", "g4"]
    assert live_generation(app) == "g4"


def test_check_reports_no_drift_when_index_and_database_agree(runner, corpus):
    result = runner.invoke(args=["search", "check"])

    assert result.exit_code == 0, result.output
    assert "No drift" in result.output
    drift = maintenance.check()
    assert (drift.missing, drift.extra, drift.stale, drift.drifted) == ([], [], [], False)


def run_check(runner) -> tuple[int, str]:
    result = runner.invoke(args=["search", "check"])
    return result.exit_code, result.output


@pytest.mark.whoosh_only
def test_check_names_a_key_missing_from_the_index(runner, corpus):
    lost = corpus["contributions"][0]
    get_engine().apply([], [f"c:{lost.id}"])

    code, output = run_check(runner)

    assert code == 1
    assert f"missing: 1 (c:{lost.id})" in output
    assert maintenance.check().missing == [f"c:{lost.id}"]


@pytest.mark.whoosh_only
def test_check_names_a_key_the_database_no_longer_has(runner, corpus):
    ghost = dict(documents.documents_for(set(), {corpus["contributions"][0].id})[0][0])
    ghost.update(key="c:999", id=999)
    get_engine().apply([ghost], [])

    code, output = run_check(runner)

    assert code == 1
    assert "extra: 1 (c:999)" in output


@pytest.mark.whoosh_only
def test_check_names_a_key_stored_with_a_stale_usefulness(runner, corpus):
    answer = corpus["contributions"][1]
    stale = dict(documents.documents_for(set(), {answer.id})[0][0])
    assert stale["key"] == f"c:{answer.id}"
    stale["usefulness"] = 0.99
    get_engine().apply([stale], [])

    code, output = run_check(runner)

    assert code == 1
    assert f"stale: 1 (c:{answer.id})" in output


@pytest.mark.whoosh_only
def test_reindex_repairs_what_check_found(runner, corpus):
    get_engine().apply([], [f"c:{corpus['contributions'][0].id}"])
    assert run_check(runner)[0] == 1

    assert runner.invoke(args=["search", "reindex"]).exit_code == 0

    assert run_check(runner)[0] == 0


@pytest.mark.whoosh_only
def test_an_index_written_before_the_engine_had_its_own_package_still_opens(
    app, client, corpus, monkeypatch
):
    """Indexes pickle their schema, naming its field classes by module; those written before the
    Whoosh engine moved into forum/search/whoosh/ name forum.search.whoosh_fields."""
    before = found(client, "listening")
    live = Path(app.config["SEARCH_PATH"]) / live_generation(app)
    for toc in live.glob("*.toc"):
        pickled = toc.read_bytes()
        assert b"forum.search.whoosh.fields" in pickled
        toc.write_bytes(
            pickled.replace(b"forum.search.whoosh.fields", b"forum.search.whoosh_fields")
        )
    app.extensions.pop("search_engine").close()  # a worker started afresh opens it
    monkeypatch.delitem(sys.modules, "forum.search.whoosh_fields", raising=False)

    assert found(client, "listening") == before
    assert len(before) == 3


@pytest.fixture
def busy_index(app, monkeypatch):
    """Another process is writing the index (it holds the writer lock) for longer than a
    rebuild waits."""
    monkeypatch.setattr(whoosh_engine, "REBUILD_WAITS", 0.05)
    with outbox.writer_lock(Path(app.config["SEARCH_PATH"]), wait=0) as locked:
        assert locked
        yield


@pytest.mark.whoosh_only
def test_reindex_while_another_process_writes_says_so_and_changes_nothing(
    app, runner, corpus, busy_index
):
    before = live_generation(app)

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 1
    assert "another process is writing the search index" in result.output
    assert "try again" in result.output
    assert live_generation(app) == before
