"""rated contributions index

Top strategies list, count and filter by topic the visible contributions with ratings, most
useful first. A partial index of just those rows, in the list's order and carrying their
prompt, answers all three from the index (at 100,000 contributions: a topic's count 29 -> 4 ms,
its first page 17 -> 3 ms); it replaces the (status, rating_count) index, which found the rows
but left every one of them to read from the table.

Revision ID: f1b6d2e8c4a7
Revises: e5a7c3b9d214
Create Date: 2026-12-03 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1b6d2e8c4a7'
down_revision = 'e5a7c3b9d214'
branch_labels = None
depends_on = None

RATED = "status = 'visible' AND rating_count >= 1"


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_status_ratings')
        batch_op.create_index(
            'ix_contributions_rated',
            [sa.text('score DESC'), sa.text('rating_count DESC'), 'id', 'prompt_id'],
            unique=False,
            sqlite_where=sa.text(RATED),
            postgresql_where=sa.text(RATED),
        )


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_rated')
        batch_op.create_index(
            'ix_contributions_status_ratings', ['status', 'rating_count'], unique=False
        )
