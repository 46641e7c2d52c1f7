"""related reading kept per prompt

The prompts listed under a prompt as more relevant reading, as the search engine last found them:
asking the engine costs more than the rest of a prompt's page (11 ms of 26 on PostgreSQL at
100,000 contributions, 25 ms with Whoosh), and a list kept in the database serves every worker
and app server until it is due again (forum/services/related.py).

Revision ID: b7d2f4a9c1e6
Revises: a3c9e1f7b2d4
Create Date: 2026-12-03 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.models.types


# revision identifiers, used by Alembic.
revision = 'b7d2f4a9c1e6'
down_revision = 'a3c9e1f7b2d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'related_reading',
        sa.Column('prompt_id', sa.Integer(), nullable=False),
        sa.Column('prompt_ids', sa.Text(), nullable=False),
        sa.Column('found_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['prompt_id'], ['prompts.id'],
            name=op.f('fk_related_reading_prompt_id_prompts'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('prompt_id', name=op.f('pk_related_reading')),
    )


def downgrade():
    op.drop_table('related_reading')
