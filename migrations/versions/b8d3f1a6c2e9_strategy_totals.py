"""strategy totals

A version per topic that moves with every change that may alter how many rated strategies the
topic holds, so the strategies list's total (a count over 90,000 rows at 100,000 contributions,
a third of the page's time) is counted once per version instead of once per page.

Revision ID: b8d3f1a6c2e9
Revises: a6f2c9e4b7d1
Create Date: 2026-12-06 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d3f1a6c2e9'
down_revision = 'a6f2c9e4b7d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('strategies_version', sa.BigInteger(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('strategies_version')
