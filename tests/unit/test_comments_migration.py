"""The comments migration (c8a2e6f1d3b9) on a database with content: existing flags become
flags on contributions, and going back drops comments and their flags and keeps the rest."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from forum.extensions import db

BEFORE = "b7d2f4a9c1e6"
COMMENTS = "c8a2e6f1d3b9"

CONTENT = (
    "INSERT INTO users (id, username, email, password_hash, display_name, headline, bio, role,"
    " status, suspension_reason, joined_at, session_version, username_key, display_key)"
    " VALUES (1, 'ada', 'ada@example.org', 'x', 'Ada', '', '', 'member', 'active', '',"
    " CURRENT_TIMESTAMP, 1, 'ada', 'ada')",
    "INSERT INTO users (id, username, email, password_hash, display_name, headline, bio, role,"
    " status, suspension_reason, joined_at, session_version, username_key, display_key)"
    " VALUES (2, 'bo', 'bo@example.org', 'x', 'Bo', '', '', 'member', 'active', '',"
    " CURRENT_TIMESTAMP, 1, 'bo', 'bo')",
    "INSERT INTO topics (id, slug, name, description, created_at)"
    " VALUES (1, 'coaching', 'Coaching', '', CURRENT_TIMESTAMP)",
    "INSERT INTO prompts (id, slug, title, intro, intro_html, topic_id, author_id, author_name,"
    " status, helpful_yes, helpful_no, helpful_score, contribution_count, created_at,"
    " updated_at, last_activity_at, version) VALUES (1, 'p', 'Delegation', '', '', 1, 1, '',"
    " 'open', 0, 0, 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
    "INSERT INTO contributions (id, prompt_id, author_id, author_name, body, body_html, status,"
    " featured, hidden_reason, n1, n2, n3, n4, n5, rating_count, rating_sum, score, created_at)"
    " VALUES (1, 1, 1, '', 'x', '<p>x</p>', 'visible', false, '', 0, 0, 0, 0, 0, 0, 0, 2.047,"
    " CURRENT_TIMESTAMP)",
    "INSERT INTO flags (id, contribution_id, reporter_id, reporter_name, reason, note, status,"
    " created_at, resolution, resolution_note)"
    " VALUES (1, 1, 2, 'bo', 'spam', '', 'open', CURRENT_TIMESTAMP, '', '')",
)


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_the_comments_migration_keeps_flags_and_goes_back_cleanly(app_to_migrate, postgres_schema):
    app = app_to_migrate(postgres_schema)
    with app.app_context():
        upgrade(revision=BEFORE)
        for statement in CONTENT:
            db.session.execute(text(statement))
        db.session.commit()

        upgrade(revision=COMMENTS)
        migrated = _rows("SELECT id, target_type, comment_id FROM flags")
        counts = _rows("SELECT comment_count FROM contributions")
        db.session.execute(
            text(
                "INSERT INTO comments (id, contribution_id, author_id, author_name, body,"
                " body_html, kind, status, hidden_reason, created_at) VALUES (1, 1, 2, 'Bo',"
                " 'Why?', '<p>Why?</p>', 'question', 'visible', '', CURRENT_TIMESTAMP)"
            )
        )
        # The same member flags the comment too: a flag of its own, beside the open one.
        db.session.execute(
            text(
                "INSERT INTO flags (id, contribution_id, target_type, comment_id, reporter_id,"
                " reporter_name, reason, note, status, created_at, resolution, resolution_note)"
                " VALUES (2, 1, 'comment', 1, 2, 'bo', 'spam', '', 'open', CURRENT_TIMESTAMP,"
                " '', '')"
            )
        )
        db.session.commit()
        db.session.remove()

        downgrade(revision=BEFORE)
        kept = _rows("SELECT id, contribution_id FROM flags")
        upgrade(revision=COMMENTS)
        again = _rows("SELECT id, target_type, comment_id FROM flags")
        db.session.remove()
        db.engine.dispose()

    assert migrated == [(1, "contribution", None)]
    assert counts == [(0,)]
    assert kept == [(1, 1)]
    assert again == [(1, "contribution", None)]
