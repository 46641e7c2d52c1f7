"""imported posts: where imported prompts and contributions came from

Revision ID: b7e4c2a91d03
Revises: c3f9a1d7e205
Create Date: 2026-11-21 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.models.types


# revision identifiers, used by Alembic.
revision = 'b7e4c2a91d03'
down_revision = 'c3f9a1d7e205'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'imported_posts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site', sa.String(length=100), nullable=False),
        sa.Column('original_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('prompt_id', sa.Integer(), nullable=True),
        sa.Column('contribution_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=60), nullable=False),
        sa.Column('license', sa.String(length=40), nullable=False),
        sa.Column('up_votes', sa.Integer(), nullable=False),
        sa.Column('down_votes', sa.Integer(), nullable=False),
        sa.Column('imported_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['contribution_id'], ['contributions.id'],
            name=op.f('fk_imported_posts_contribution_id_contributions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['prompt_id'], ['prompts.id'],
            name=op.f('fk_imported_posts_prompt_id_prompts'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_posts')),
        sa.UniqueConstraint('site', 'original_id', name=op.f('uq_imported_posts_site')),
    )
    with op.batch_alter_table('imported_posts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_imported_posts_contribution_id'), ['contribution_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_imported_posts_prompt_id'), ['prompt_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('imported_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_posts_prompt_id'))
        batch_op.drop_index(batch_op.f('ix_imported_posts_contribution_id'))
    op.drop_table('imported_posts')
