"""outcomes ("I tried it") and the playbook (strategies saved to try)

`outcomes` holds one report per member per contribution (worked | partly | didnt, an optional
setting, a private note). Contributions count them (`outcome_worked`, `outcome_partly`,
`outcome_didnt`, `outcome_count`) and keep `success`, the Wilson lower bound of the share that
worked, moved by SQL arithmetic in the writing transaction; `flask --app forum recount` repairs
them. "Proven in practice" reads `ix_contributions_proven`. `saved_strategies` is each member's
playbook, with the reminder date that brings a check-in.

Revision ID: a6f2c9e4b7d1
Revises: d9b3f7a2e4c1
Create Date: 2026-12-06 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.models.types


# revision identifiers, used by Alembic.
revision = 'a6f2c9e4b7d1'
down_revision = 'd9b3f7a2e4c1'
branch_labels = None
depends_on = None

PROVEN = "status = 'visible' AND outcome_count >= 3"
DUE = "checkin_at IS NULL"


def upgrade():
    # Plain ADD COLUMN on both databases (no table copy on SQLite).
    for name in ('outcome_worked', 'outcome_partly', 'outcome_didnt', 'outcome_count'):
        op.add_column('contributions', sa.Column(
            name, sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.add_column('contributions', sa.Column('success', sa.Double(), nullable=True))
    op.create_index(
        'ix_contributions_proven', 'contributions',
        [sa.text('success DESC'), sa.text('outcome_count DESC'), 'id', 'prompt_id'],
        unique=False, sqlite_where=sa.text(PROVEN), postgresql_where=sa.text(PROVEN),
    )

    op.create_table(
        'outcomes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('result', sa.String(length=8), nullable=False),
        sa.Column('setting', sa.String(length=16), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['contribution_id'], ['contributions.id'],
            name=op.f('fk_outcomes_contribution_id_contributions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_outcomes_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes')),
        sa.UniqueConstraint(
            'user_id', 'contribution_id', name=op.f('uq_outcomes_user_id')),
    )
    op.create_index(
        op.f('ix_outcomes_contribution_id'), 'outcomes', ['contribution_id'], unique=False)
    op.create_index(op.f('ix_outcomes_user_id'), 'outcomes', ['user_id'], unique=False)

    op.create_table(
        'saved_strategies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        sa.Column('saved_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('remind_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('checkin_at', forum.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['contribution_id'], ['contributions.id'],
            name=op.f('fk_saved_strategies_contribution_id_contributions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_saved_strategies_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_strategies')),
        sa.UniqueConstraint(
            'user_id', 'contribution_id',
            name=op.f('uq_saved_strategies_user_id')),
    )
    op.create_index(
        op.f('ix_saved_strategies_contribution_id'), 'saved_strategies', ['contribution_id'],
        unique=False)
    op.create_index(
        'ix_saved_strategies_user', 'saved_strategies', ['user_id', 'saved_at'], unique=False)
    op.create_index(
        'ix_saved_strategies_due', 'saved_strategies', ['remind_at'], unique=False,
        sqlite_where=sa.text(DUE), postgresql_where=sa.text(DUE),
    )


def downgrade():
    op.drop_index('ix_saved_strategies_due', table_name='saved_strategies')
    op.drop_index('ix_saved_strategies_user', table_name='saved_strategies')
    op.drop_index(op.f('ix_saved_strategies_contribution_id'), table_name='saved_strategies')
    op.drop_table('saved_strategies')
    op.drop_index(op.f('ix_outcomes_user_id'), table_name='outcomes')
    op.drop_index(op.f('ix_outcomes_contribution_id'), table_name='outcomes')
    op.drop_table('outcomes')
    op.drop_index('ix_contributions_proven', table_name='contributions')
    for name in ('success', 'outcome_count', 'outcome_didnt', 'outcome_partly',
                 'outcome_worked'):
        op.drop_column('contributions', name)
