"""Contributions deleted before the forum recorded who deleted them: the migration tells an
author's delete (never logged) from a moderator's (always logged, as every restore is), so only
their authors restore what authors deleted."""

from __future__ import annotations

import warnings

from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import SAWarning

from forum.extensions import db

BEFORE = "b7e4c2a91d03"  # the revision before contributions record who deleted them
HARDENING = "d4e8a1c0f7b2"

ROWS = [
    "INSERT INTO users (id, username, email, password_hash, display_name, headline, bio, role,"
    " status, suspension_reason, joined_at, session_version) VALUES (1, 'ada', 'ada@example.org',"
    " 'x', 'Ada', '', '', 'member', 'active', '', CURRENT_TIMESTAMP, 1)",
    "INSERT INTO topics (id, slug, name, description, created_at)"
    " VALUES (1, 'coaching', 'Coaching', '', CURRENT_TIMESTAMP)",
    "INSERT INTO prompts (id, slug, title, intro, intro_html, topic_id, author_id, author_name,"
    " status, helpful_yes, helpful_no, helpful_score, contribution_count, created_at, updated_at,"
    " last_activity_at, version) VALUES (1, 'p', 'Delegation', '', '', 1, 1, '', 'open', 0, 0, 0,"
    " 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
]
CONTRIBUTION = (
    "INSERT INTO contributions (id, prompt_id, author_id, author_name, body, body_html, status,"
    " featured, hidden_reason, n1, n2, n3, n4, n5, rating_count, rating_sum, score, created_at)"
    " VALUES (:id, 1, 1, '', 'x', '<p>x</p>', :status, false, '', 0, 0, 0, 0, 0, 0, 0, 2.047,"
    " CURRENT_TIMESTAMP)"
)
LOG = (
    "INSERT INTO moderation_actions (actor_id, actor_name, action, target_type, target_id,"
    " reason, created_at) VALUES (NULL, 'mod', :action, 'contribution', :id, '', CURRENT_TIMESTAMP)"
)
# id: (status, the moderators' logged actions on it, oldest first)
HISTORY = {
    1: ("deleted", []),  # its author deleted it
    2: ("deleted", ["delete"]),  # a moderator deleted it
    3: ("deleted", ["delete", "restore"]),  # deleted, restored, then deleted by its author
    4: ("deleted", ["flag_delete", "delete"]),  # deleted by resolving a flag
    5: ("visible", ["hide", "restore"]),
}


def test_the_migration_marks_what_authors_deleted_and_only_that(app_to_migrate, postgres_schema):
    app = app_to_migrate(postgres_schema)
    with app.app_context():
        upgrade(revision=BEFORE)
        for statement in ROWS:
            db.session.execute(text(statement))
        for ident, (status, actions) in HISTORY.items():
            db.session.execute(text(CONTRIBUTION), {"id": ident, "status": status})
            for action in actions:
                db.session.execute(text(LOG), {"action": action, "id": ident})
        db.session.commit()
        db.session.remove()

        upgrade(revision=HARDENING)
        marked = dict(
            db.session.execute(
                text("SELECT id, deleted_by_author FROM contributions ORDER BY id")
            ).all()
        )
        db.session.remove()
        with warnings.catch_warnings():
            # SQLite's copy of the users table cannot reflect its expression indexes.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
            downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            columns = connection.execute(text("SELECT * FROM contributions")).keys()
        db.engine.dispose()

    assert {ident: bool(flag) for ident, flag in marked.items()} == {
        1: True,
        2: False,
        3: True,
        4: False,
        5: False,
    }
    assert "deleted_by_author" not in columns
