"""strategies by ratings

Top strategies count and list visible contributions with at least N ratings: an index on
(status, rating_count) lets that count read the index instead of every contribution row.

Revision ID: e5a7c3b9d214
Revises: d4e8a1c0f7b2
Create Date: 2026-12-02 16:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5a7c3b9d214'
down_revision = 'd4e8a1c0f7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index('ix_contributions_status_ratings', ['status', 'rating_count'], unique=False)


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_status_ratings')
