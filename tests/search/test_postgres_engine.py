"""The PostgreSQL engine's own machinery: vectors kept by triggers in the writing transaction,
whatever the write path, no outbox, and `search check` / `search reindex` on its terms."""

from __future__ import annotations

import re

from sqlalchemy import insert, select, text

from forum.extensions import db
from forum.models import Contribution, KeyPoint, SearchOutbox
from forum.search import get_engine
from forum.search.postgres import query as pq
from forum.search.query import parse
from forum.services import contributions, moderation, prompts, ratings
from tests.factories import make_contribution, make_moderator, make_prompt, make_topic, make_user
from tests.helpers import outbox_rows, page_text, statements_during
from tests.search.helpers import contribution_ids, found, search


def keys(words: str) -> set[str]:
    """What the engine itself answers (inside the current transaction)."""
    return {hit.key for hit in get_engine().search(parse(words), 200)}


def test_the_app_searches_with_the_postgres_engine(app):
    assert type(get_engine()).__name__ == "PostgresEngine"


def test_no_write_leaves_rows_in_the_outbox(client, app):
    moderator = make_moderator()
    prompt = make_prompt(author=moderator, title="Outbox free")
    answer = make_contribution(prompt=prompt, body="Kaizen, committed.")
    ratings.rate(make_user(), answer, 5)
    contributions.edit_contribution(answer.author, answer, "Kaizen, edited.")
    prompts.update_prompt(moderator, prompt, title="Still outbox free")
    moderation.hide(moderator, answer, "spam")

    assert outbox_rows() == 0


def test_a_row_is_found_inside_its_own_transaction_and_not_after_a_rollback(app):
    prompt, author = make_prompt(title="Rollbacks"), make_user()
    contribution = Contribution(prompt_id=prompt.id, author_id=author.id, author_name="x",
                                body="Kaizen.", body_html="<p>Kaizen.</p>")  # fmt: skip
    db.session.add(contribution)
    db.session.flush()
    assert keys("kaizen") == {f"c:{contribution.id}"}

    db.session.rollback()

    assert keys("kaizen") == set()


def test_a_bulk_insert_and_an_sql_update_of_a_title_keep_the_vectors_current(client, app):
    prompt, author = make_prompt(title="Onboarding"), make_user()
    new_id = db.session.execute(
        insert(Contribution)
        .values(
            prompt_id=prompt.id,
            author_id=author.id,
            author_name="x",
            body="A buddy.",
            body_html="<p>A buddy for the first week.</p>",
            status="visible",
        )  # fmt: skip
        .returning(Contribution.id)
    ).scalar_one()
    db.session.commit()
    assert ("contribution", new_id) in found(client, "buddy")

    db.session.execute(text("UPDATE prompts SET title = 'Induction' WHERE id = :id"),
                       {"id": prompt.id})  # fmt: skip
    db.session.commit()

    # The title is the contribution's context: it moved with the prompt, in the same UPDATE.
    assert found(client, "induction") == {("prompt", prompt.id), ("contribution", new_id)}
    assert found(client, "onboarding") == set()


def test_a_key_point_edit_reaches_its_prompt_and_the_contributions_under_it(client, app):
    prompt = make_prompt(title="Feedback", key_points=(("Timing", "Soon after."),))
    point = db.session.scalar(select(KeyPoint).where(KeyPoint.prompt_id == prompt.id))
    answer = make_contribution(prompt=prompt, body="I wait a day.", key_point_id=point.id)

    point.title = "Cadence"
    db.session.commit()

    assert found(client, "cadence") == {("prompt", prompt.id), ("contribution", answer.id)}
    assert found(client, "timing") == set()


def test_a_word_matching_many_ranks_a_bounded_number_and_filters_narrow_before_the_cut(
    client, app, monkeypatch
):
    monkeypatch.setattr(pq, "RANKED", 2)
    prompt, author = make_prompt(title="Retrospectives"), make_user()
    for n in range(4):
        make_contribution(prompt=prompt, body=f"Kaizen, week {n}.")
    mine = make_contribution(prompt=prompt, author=author, body="Kaizen, the last one.")

    # Five contributions hold the word; two are ranked, so the cost stays the same however many.
    assert len(keys("kaizen")) == 2
    # The author's own is found although four others matched before it.
    assert found(client, f"kaizen @{author.username}") == {("contribution", mine.id)}


def test_a_word_deep_in_a_long_answer_is_marked_in_its_snippet(client, app):
    prompt = make_prompt(title="Retrospectives")
    filler = " ".join(f"filler{n}" for n in range(800))
    answer = make_contribution(prompt=prompt, body=f"{filler} Kaizen: happiness in teams. {filler}")

    snippet = search(client, "happy kaizen")["items"][0]["snippet"]

    assert "<mark>Kaizen</mark>" in snippet and "<mark>happiness</mark>" in snippet
    assert answer.id == contribution_ids(search(client, "kaizen"))[0]


def test_a_snippet_marks_the_words_postgresql_stems_to_the_query_and_no_others(client, app):
    prompt = make_prompt(title="Teams")
    make_contribution(
        prompt=prompt,
        body="Motivated people stay; motivating them, not motives or motor skills, is the job "
        "(see notes.motivation). Motivation <b>grows</b>.",
    )

    snippet = search(client, "motivation")["items"][0]["snippet"]

    marked = re.findall(r"<mark>([^<]*)</mark>", snippet)
    assert marked == ["Motivated", "motivating", "motives", "Motivation"]  # not "motor"
    assert "&lt;b&gt;grows" in snippet and "<b>" not in snippet


def test_a_snippet_of_stop_words_alone_is_the_start_of_the_text(client, app):
    prompt = make_prompt(title="Starts")
    make_contribution(prompt=prompt, body="Listening first. " + "More words follow. " * 30)

    snippet = search(client, '"the" listening')["items"][0]["snippet"]

    assert snippet.startswith("<mark>Listening</mark> first.")


def test_check_reports_no_drift_then_names_what_was_written_around_the_triggers(runner, app):
    lost, stale, hidden = (make_contribution(body=f"Listening, take {n}.") for n in range(3))
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "No drift" in result.output

    # Behind the triggers' backs (session_replication_role would do the same for a whole load).
    db.session.execute(text("DELETE FROM contribution_search WHERE contribution_id = :id"),
                       {"id": lost.id})  # fmt: skip
    db.session.execute(text("UPDATE contribution_search SET search_vector = 'other'"
                            " WHERE contribution_id = :id"), {"id": stale.id})  # fmt: skip
    db.session.execute(text("ALTER TABLE contributions DISABLE TRIGGER search_contribution_after"))
    db.session.execute(text("UPDATE contributions SET status = 'hidden' WHERE id = :id"),
                       {"id": hidden.id})  # fmt: skip
    db.session.execute(text("ALTER TABLE contributions ENABLE TRIGGER search_contribution_after"))
    db.session.commit()

    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"missing: 1 (c:{lost.id})" in result.output
    assert f"stale: 1 (c:{stale.id})" in result.output
    assert f"extra: 1 (c:{hidden.id})" in result.output
    assert "search reindex" in result.output


def test_reindex_recomputes_the_vectors_and_forgets_outbox_rows_of_another_engine(
    client, runner, app
):
    answer = make_contribution(body="Listening without fixing.")
    db.session.execute(text("DELETE FROM contribution_search"))
    db.session.execute(text("UPDATE prompts SET search_vector = NULL"))
    db.session.execute(insert(SearchOutbox).values(kind="contribution", target_id=answer.id))
    db.session.commit()
    assert found(client, "listening") == set()

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "Recomputed the search vectors of 2 prompts and contributions" in result.output
    assert contribution_ids(search(client, "listening")) == [answer.id]
    assert outbox_rows() == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_a_suggestion_is_never_a_word_that_finds_nothing(client, app):
    prompt = make_prompt(title="Getting started")
    answer = make_contribution(prompt=prompt, body="Motivation comes after the first small action.")
    assert search(client, "motivaton")["suggestion"] == "motivation"

    moderation.hide(make_moderator(), answer, "spam")

    # The word list still holds "motivation"; no visible text does.
    assert search(client, "motivaton")["suggestion"] is None


def test_the_engine_is_healthy_and_says_so_on_healthz(client, app):
    assert get_engine().healthy()
    assert client.get("/healthz").get_json()["search"] == "ok"


def test_asking_whether_misspelt_words_are_held_reads_no_table_whole(app):
    """The planner would read every contribution to learn that none holds a misspelt word
    (EXISTS, and a word its statistics do not list): the indexes answer it."""
    make_contribution(body="Motivation comes after the first small action.")
    for n in range(30):  # enough rows that a plan has a choice
        make_contribution(body=f"Habit number {n} starts with one small step.")
    db.session.execute(text("ANALYZE contribution_search"))
    db.session.commit()
    whole_reads = text(
        "SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_xact_user_tables"
        " WHERE relname IN ('prompts', 'contribution_search')"
    )
    before = db.session.scalar(whole_reads)

    better = get_engine().suggest(["motivaton", "habbit"])

    assert better == {"motivaton": "motivation", "habbit": "habit"}
    assert db.session.scalar(whole_reads) == before
    assert db.session.scalar(text("SELECT current_setting('enable_seqscan')")) == "on"


def test_two_words_side_by_side_cost_no_soft_match_plan(app):
    """Both of two words are needed, so no soft match is planned: planning read the words'
    tsqueries first, one statement more on every ordinary two-word search."""
    from forum.search.postgres import soft

    with app.app_context(), statements_during() as sent:
        assert soft.plan(parse("delegation feedback").text) is None
        asked_for_two = len(sent)
        assert soft.plan(parse("delegation feedback rituals").text) is not None
    assert asked_for_two == 0
    assert len(sent) > 0  # three words: one may be missing, and that takes a plan


def _many_contributions(count: int, body) -> None:
    prompt = make_prompt(title="Statistics")
    db.session.execute(
        insert(Contribution),
        [
            {"prompt_id": prompt.id, "author_id": prompt.author_id, "body": body(n),
             "body_html": f"<p>{body(n)}</p>"}
            for n in range(count)
        ],
    )  # fmt: skip
    db.session.commit()


def test_a_bulk_load_reads_the_statistics_that_weigh_the_words_at_once(app):
    from forum.search.postgres import lookups

    # Written in bulk: until the statistics are read, the planner knows nothing of these rows.
    _many_contributions(300, lambda n: "coaching " * (n % 2) + f"session number{n}")

    get_engine().after_bulk_load(300, None)
    counts, total = lookups.frequencies(["coaching", "session"])

    assert total == 300
    assert counts["coaching"] < counts["session"]


def test_the_statistics_are_read_once_and_afresh_after_a_bulk_load(client, app):
    """The planner's list of common words is read by the first search that weighs its words
    and kept: a search of other words asks for it no more and weighs them as a fresh read
    does; a bulk load, which has the statistics read again, has the list read afresh."""
    from forum.search.postgres import lookups

    _many_contributions(300, lambda n: "coaching " * (n % 2) + f"session number{n}")
    get_engine().after_bulk_load(300, None)
    with statements_during() as sent:
        assert search(client, "coaching session")["total"] > 0
        assert search(client, "session number7")["total"] > 0
    kept = lookups.frequencies(["coaching", "session", "number7"])
    lookups.forget_statistics()
    db.session.commit()  # a new transaction: nothing kept for it
    fresh = lookups.frequencies(["coaching", "session", "number7"])
    _many_contributions(300, lambda n: f"coaching number{n}")
    get_engine().after_bulk_load(300, None)
    counts, total = lookups.frequencies(["coaching", "session"])

    assert len([s for s in sent if "pg_stats" in s]) == 1
    assert kept == fresh
    assert total == 600
    assert counts["coaching"] > counts["session"]


def test_the_average_lengths_are_those_of_the_newest_rows(app, monkeypatch):
    """Soft scores take a row's length against its table's average, from SAMPLED rows: the
    newest, the same for every worker (a sequential scan of a large table starts where another
    scan is: workers read different rows and ranked the same query 1-3 % apart)."""
    from forum.search.postgres import lookups

    monkeypatch.setattr(lookups, "SAMPLED", 10)
    prompt = make_prompt(title="Lengths")
    for body in ["Short answer."] * 10 + ["Longer answers name eight distinct lexemes here."] * 10:
        newest = make_contribution(prompt=prompt, body=body)
    lengths = "SELECT length(search_vector) FROM contribution_search WHERE contribution_id = :id"

    read = lookups._read_lengths()["contribution"]

    assert read == db.session.scalar(text(lengths), {"id": newest.id}) > 3  # short, answer, ...


def test_words_the_statistics_do_not_list_are_counted_not_guessed_alike(app):
    from forum.search.postgres import lookups

    # 600 contributions: "session" in all, 150 topics in 4 each, "quarterly" in 3, "zeugma" in
    # one. The statistics list the 100 commonest words only (a target of 10, as a large site's
    # 1,000 leave out its rarer words), so the two rarest are not among them.
    def body(n: int) -> str:
        rare = (" quarterly" if n < 3 else "") + (" zeugma" if n == 7 else "")
        return f"session topic{n % 150} number{n}{rare}"

    _many_contributions(600, body)
    column = "ALTER TABLE contribution_search ALTER COLUMN search_vector SET STATISTICS {}"
    db.session.execute(text(column.format(10)))
    try:
        get_engine().after_bulk_load(600, None)
        counts, _ = lookups.frequencies(["session", "quarterly", "zeugma"])
    finally:
        db.session.rollback()
        db.session.execute(text(column.format(-1)))
        db.session.commit()

    assert (counts["quarterly"], counts["zeugma"]) == (3, 1)
    assert counts["session"] > 500


def test_statistics_of_a_table_emptied_since_are_no_figures_and_search_still_answers(client, app):
    from forum.search.postgres import lookups

    # Analyzed, then emptied: the planner keeps the old word statistics, its row count unknown.
    _many_contributions(300, lambda n: f"delegation session number{n}")
    get_engine().after_bulk_load(300, None)
    db.session.execute(text("TRUNCATE contribution_search, contributions CASCADE"))
    db.session.commit()
    make_contribution(body="Delegation rituals that held.")

    counts, total = lookups.frequencies(["delegation", "session"])
    app.config["SEARCH_VARIANT"] = "prf"

    assert total >= 0 and all(n >= 0 for n in counts.values())
    assert search(client, "delegation")["total"] == 1


def test_searches_of_the_same_shape_each_find_their_own_words(client, app):
    """The statement of a query without filters is built once per shape of query (one word,
    two words, a phrase...): each search still finds what its own words hold."""
    prompt = make_prompt(title="Sessions")
    kaizen = make_contribution(prompt=prompt, body="Kaizen: one small step each week.")
    ikigai = make_contribution(prompt=prompt, body="Ikigai: ask what the client loves.")
    both = make_contribution(prompt=prompt, body="Kaizen and ikigai together, a step a day.")
    for _ in range(2):  # the second time, every shape has its statement already
        assert set(contribution_ids(search(client, "kaizen"))) == {kaizen.id, both.id}
        assert set(contribution_ids(search(client, "ikigai"))) == {ikigai.id, both.id}
        assert contribution_ids(search(client, '"kaizen and ikigai"')) == [both.id]
        assert contribution_ids(search(client, "kaizen -ikigai")) == [kaizen.id]
        assert contribution_ids(search(client, "ikigai -kaizen")) == [ikigai.id]


def test_soft_passes_of_the_same_shape_each_find_their_own_words(client, app):
    """A soft pass's statement is kept per shape too (soft_statement.py): searches of two words
    that no answer holds together, one after the other, each list the answers holding one of
    their own words, and none of the other search's."""
    prompt = make_prompt(title="Sessions")
    kaizen = make_contribution(prompt=prompt, body="Kaizen: one small step each week.")
    ikigai = make_contribution(prompt=prompt, body="Ikigai: ask what the client loves.")
    hansei = make_contribution(prompt=prompt, body="Hansei: look back at the month.")
    wabi = make_contribution(prompt=prompt, body="Wabi-sabi: accept what is unfinished.")
    for _ in range(2):  # the second time, the shape has its statement already
        assert set(contribution_ids(search(client, "kaizen ikigai"))) == {kaizen.id, ikigai.id}
        assert set(contribution_ids(search(client, "hansei unfinished"))) == {hansei.id, wabi.id}
        assert contribution_ids(search(client, "kaizen loves week")) == [kaizen.id, ikigai.id]


def test_the_hits_tags_outcomes_and_prompts_usefulness_come_with_the_engines_statement(client, app):
    """What a hit carries (its tags and its prompt's, what members reported trying it, a
    prompt's usefulness) is read by the statement that finds the hits: one statement, however
    many hits."""
    from forum.search import documents
    from forum.services import outcomes

    prompt = make_prompt(title="Kaizen for coaches", tags=["habits"])
    answers = [make_contribution(prompt=prompt, body=f"Kaizen step {n}.") for n in range(3)]
    ratings.rate(make_user(), answers[0], 5)
    outcomes.report(make_user(), answers[1], "worked")
    expected = round(documents.prompt_usefulness([prompt.id])[prompt.id], 4)
    with statements_during() as sent:
        body = search(client, "kaizen")
    by_id = {(item["type"], item["id"]): item for item in body["items"]}
    assert by_id[("contribution", answers[1].id)]["explain"]["tried"] == 1
    assert by_id[("contribution", answers[0].id)]["explain"]["tried"] == 0
    assert body["facets"]["tags"] == {"habits": 4}
    assert body["facets"]["outcomes"] == {"tried": 1, "proven": 0}
    assert by_id[("prompt", prompt.id)]["explain"]["usefulness"] == expected
    assert expected > round(documents.prompt_usefulness([0])[0], 4)  # lifted by the rating
    hit_reads = [s for s in sent if re.search(r"\b(prompt_tags|outcome_count)\b", s)]
    assert len(hit_reads) == 1, hit_reads


def test_what_a_hit_carries_is_read_for_the_best_candidates_of_both_kinds_together_only(app):
    """The statement ranks each kind's candidates, then reads tags, scores and joins for the
    best `limit` of both together, in the order the engine answers: each kind's best `limit`
    read in detail, half of them then dropped, was a third of a common word's statement."""
    from forum.search.postgres import hits

    for n in range(4):
        prompt = make_prompt(title=f"Kaizen {'kaizen ' * n}for coaches")
        make_contribution(prompt=prompt, body=f"Kaizen {'kaizen ' * (3 - n)}step.")
    parsed = parse("kaizen")
    statement, values = hits.as_typed(parsed, parsed.text, 3)

    assert len(db.session.execute(statement, values).all()) == 3
    every = [hit.key for hit in get_engine().search(parsed, 200)]
    assert {key[0] for key in every} == {"p", "c"} and len(every) == 8  # both kinds match
    assert [hit.key for hit in get_engine().search(parsed, 3)] == every[:3]


def test_a_soft_pass_reads_what_a_hit_carries_for_what_is_left_to_fill_of_both_kinds_only(
    app, monkeypatch
):
    """Two words that no row holds together: the pass holding any one of them ranks each
    kind's candidates, then reads the details of only as many of both together as are left to
    fill, in the order the engine answers (each kind's share read in detail, then half
    dropped, cost a two-word search as much again)."""
    from forum.search.postgres import soft

    for n in range(4):
        make_prompt(title=f"Kaizen {'kaizen ' * n}for coaches")
        other = make_prompt(title=f"Habits for coaches, {n}")
        make_contribution(prompt=other, body=f"Ladder {'ladder ' * (3 - n)}step.")
    read = []
    whole = soft._found

    def counted(statement, parameters=None, index_only=False):
        rows = whole(statement, parameters, index_only)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(soft, "_found", counted)
    parsed = parse("kaizen ladder")
    every = [hit.key for hit in get_engine().search(parsed, 200)]
    assert {key[0] for key in every} == {"p", "c"} and len(every) == 8  # both kinds match
    read.clear()

    assert [hit.key for hit in get_engine().search(parsed, 3)] == every[:3]
    assert read == [0, 3]  # nothing holds both words; the pass read 3 rows, not 3 of each


def test_a_soft_search_turns_sequential_scans_off_once_for_its_word_counts_and_its_pass(app):
    """The words' counts and the pass both go through the GIN indexes only: sequential scans
    are turned off once for both, then back (two round trips, not four)."""
    make_prompt(title="Kaizen for coaches")
    make_contribution(prompt=make_prompt(title="Habits for coaches"), body="A ladder step.")
    with statements_during() as sent:
        found = get_engine().search(parse("kaizen ladder"), 200)
    assert len(found) == 2  # neither holds both words: the pass found them
    assert any("s.search_vector @@ plainto_tsquery" in s for s in sent)  # the words counted
    assert sum("enable_seqscan" in s for s in sent) == 2
    assert db.session.execute(text("SHOW enable_seqscan")).scalar() == "on"


def test_a_results_page_names_its_topics_with_the_hits_not_from_a_list_of_every_topic(client):
    """The group headings and the topic facets name each hit's topic as the statement that
    finds the hits reads it: the page asks for no list of every topic."""
    topic = make_topic(slug="team-coaching", name="Team Coaching")
    make_contribution(prompt=make_prompt(topic=topic, title="Kaizen for teams"), body="Kaizen.")
    make_prompt(title="Kaizen alone")  # another topic, named too

    with statements_during() as sent:
        page = client.get("/search", query_string={"q": "kaizen"})

    assert page.status_code == 200
    assert page_text(page).count("Team Coaching") == 2  # the prompt's heading, and a facet
    assert not [s for s in sent if re.search(r"\bFROM topics\b", s)]
