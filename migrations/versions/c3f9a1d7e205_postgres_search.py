"""postgres search: tsvector columns kept by triggers, GIN indexes, a word list for suggestions

Revision ID: c3f9a1d7e205
Revises: 25553ec266fb
Create Date: 2026-11-21 20:35:00.000000

Only PostgreSQL gets anything; on SQLite this revision changes nothing. The statements are
defined once in forum/search/postgres/schema.py, which create_all uses too.
"""
from alembic import op

from forum.search.postgres import schema as postgres_schema


# revision identifiers, used by Alembic.
revision = 'c3f9a1d7e205'
down_revision = '25553ec266fb'
branch_labels = None
depends_on = None


def _run(statements) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for statement in statements:
        bind.exec_driver_sql(statement)


def upgrade():
    _run(postgres_schema.UPGRADE + postgres_schema.BACKFILL)


def downgrade():
    _run(postgres_schema.DOWNGRADE)
