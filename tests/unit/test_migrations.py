"""`flask db upgrade` on an empty database yields exactly the models' schema (and, on
PostgreSQL, the search engine's own objects)."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import SAWarning

from forum.extensions import db
from forum.search.postgres import schema as search_schema

BEFORE_SEARCH = "25553ec266fb"  # the revision before the PostgreSQL search objects
SEARCH = "c3f9a1d7e205"  # the one that adds them


def _index_names(connection, table: str) -> set[str]:
    """Index names as the database lists them (reflection skips expression indexes)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
    else:
        query = (
            "SELECT indexname FROM pg_indexes"
            " WHERE tablename = :t AND schemaname = current_schema()"
        )
    return set(connection.execute(text(query), {"t": table}).scalars())


def test_upgrade_on_an_empty_database_yields_the_models_schema(app_to_migrate, postgres_schema):
    app = app_to_migrate(postgres_schema)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    # The search engine's own objects on PostgreSQL, checked below.
                    "include_object": search_schema.include_object,
                },
            )
            with warnings.catch_warnings():
                # SQLAlchemy cannot reflect expression indexes on SQLite; they are checked below.
                warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
                warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
                differences = compare_metadata(context, db.metadata)
            indexes = _index_names(connection, "users")
        db.engine.dispose()
    assert differences == []
    assert {"uq_users_username_lower", "uq_users_email_lower"} <= indexes


def test_usernames_are_unique_whatever_their_case_in_the_migrated_schema(
    app_to_migrate, postgres_schema
):
    app = app_to_migrate(postgres_schema)
    with app.app_context():
        upgrade()
        insert = text(
            "INSERT INTO users (username, email, password_hash, display_name, headline, bio, role,"
            " status, suspension_reason, joined_at, session_version) VALUES (:u, :e, 'x', 'x', '',"
            " '', 'member', 'active', '', CURRENT_TIMESTAMP, 1)"
        )
        db.session.execute(insert, {"u": "coach", "e": "a@example.org"})
        db.session.commit()
        try:
            db.session.execute(insert, {"u": "COACH", "e": "b@example.org"})
            db.session.commit()
            duplicated = True
        except Exception:  # noqa: BLE001 - the unique index refused it, as it should
            db.session.rollback()
            duplicated = False
        db.session.remove()
        db.engine.dispose()
    assert not duplicated


def _search_objects(connection) -> dict:
    """The PostgreSQL search engine's tables, triggers and indexes in the current schema."""
    return {
        "columns": set(connection.execute(text(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'search_vector'"
            " AND table_schema = current_schema()")).scalars()),
        "triggers": set(connection.execute(text(
            "SELECT DISTINCT trigger_name FROM information_schema.triggers"
            " WHERE trigger_schema = current_schema() AND trigger_name LIKE 'search_%'"
        )).scalars()),
        "indexes": _index_names(connection, "prompts")
        | _index_names(connection, "contribution_search"),
    }  # fmt: skip


def test_the_search_migration_backfills_keeps_and_removes_postgres_search(
    app_to_migrate, postgres_search_database
):
    url, schema = postgres_search_database
    app = app_to_migrate(schema, url)
    with app.app_context():
        upgrade(revision=BEFORE_SEARCH)
        # Plain SQL: the models describe the newest schema, not this older one.
        for statement in (
            "INSERT INTO users (id, username, email, password_hash, display_name, headline, bio,"
            " role, status, suspension_reason, joined_at, session_version)"
            " VALUES (1, 'ada', 'ada@example.org', 'x', 'Ada', '', '', 'member', 'active', '',"
            " now(), 1)",
            "INSERT INTO topics (id, slug, name, description, created_at)"
            " VALUES (1, 'coaching', 'Coaching', '', now())",
            "INSERT INTO prompts (id, slug, title, intro, intro_html, topic_id, author_id,"
            " author_name, status, helpful_yes, helpful_no, helpful_score, contribution_count,"
            " created_at, updated_at, last_activity_at, version)"
            " VALUES (1, 'p', 'Delegation habits', '', '<p>Hand it over.</p>', 1, 1, '', 'open',"
            " 0, 0, 0, 0, now(), now(), now(), 1)",
            "INSERT INTO key_points (prompt_id, position, title, body)"
            " VALUES (1, 0, 'Deadlines', '')",
            "INSERT INTO contributions (prompt_id, author_id, author_name, body, body_html, status,"
            " featured, hidden_reason, n1, n2, n3, n4, n5, rating_count, rating_sum, score,"
            " created_at) VALUES (1, 1, '', 'x', '<p>Write the outcome down.</p>', 'visible',"
            " false, '', 0, 0, 0, 0, 0, 0, 0, 2.047, now())",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        db.session.remove()

        upgrade(revision=SEARCH)
        with db.engine.connect() as connection:
            migrated = _search_objects(connection)
            found = connection.execute(text(
                "SELECT (SELECT count(*) FROM prompts WHERE search_vector @@ 'deadlin & deleg'),"
                " (SELECT count(*) FROM contribution_search"
                " WHERE search_vector @@ 'outcom & habit'),"
                " (SELECT count(*) FROM search_words WHERE word = 'outcome')")).one()  # fmt: skip
        downgrade(revision=BEFORE_SEARCH)
        with db.engine.connect() as connection:
            removed = _search_objects(connection)
        upgrade(revision=SEARCH)
        db.engine.dispose()
    assert migrated["columns"] == {"prompts", "contribution_search"}
    assert {"search_prompt_before", "search_contribution_after", "search_key_point_after"} <= (
        migrated["triggers"]
    )
    assert {"ix_prompts_search", "ix_contribution_search_vector"} <= migrated["indexes"]
    assert tuple(found) == (1, 1, 1)  # existing rows backfilled, title as the answer's context
    assert removed == {"columns": set(), "triggers": set(), "indexes": removed["indexes"]}
    assert "ix_prompts_search" not in removed["indexes"]


def test_the_search_migration_changes_nothing_on_sqlite(app_to_migrate):
    app = app_to_migrate(None)
    with app.app_context():
        upgrade(revision=BEFORE_SEARCH)
        with db.engine.connect() as connection:
            before = connection.execute(text("SELECT sql FROM sqlite_master ORDER BY name")).all()
        upgrade(revision=SEARCH)
        with db.engine.connect() as connection:
            after = connection.execute(text("SELECT sql FROM sqlite_master ORDER BY name")).all()
        downgrade(revision=BEFORE_SEARCH)
        db.engine.dispose()
    assert after == before
