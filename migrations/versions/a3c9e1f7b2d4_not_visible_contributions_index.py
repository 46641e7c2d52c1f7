"""not visible contributions index

Search takes the numbers of its hits from the Whoosh index and asks SQL only which candidates
are hidden or deleted. A partial index of the contributions that are not visible (a few rows)
answers that without reading a page of the table per candidate (at 100,000 contributions, 200
candidates: 0.77 -> 0.26 ms on SQLite, which is told to use it).

Revision ID: a3c9e1f7b2d4
Revises: f1b6d2e8c4a7
Create Date: 2026-12-03 17:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c9e1f7b2d4'
down_revision = 'f1b6d2e8c4a7'
branch_labels = None
depends_on = None

NOT_VISIBLE = "status <> 'visible'"


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(
            'ix_contributions_not_visible',
            ['id'],
            unique=False,
            sqlite_where=sa.text(NOT_VISIBLE),
            postgresql_where=sa.text(NOT_VISIBLE),
        )


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_not_visible')
