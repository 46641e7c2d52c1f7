"""accounts by email: confirmed addresses, mail settings, email tokens, sent mail, periodic runs

Members gain `email_confirmed_at` (None until the mailed link is opened; existing members start
unconfirmed), `email_notifications` (immediately | digest | off, default immediately) and
`digest` (daily | weekly | off, default weekly). `email_tokens` keeps the digest of each mailed
link (confirmation, password reset); `sent_mail` claims each email's idempotency key before it is
sent; `periodic_runs` records each periodic job done for a slot (forum/periodic.py).

Revision ID: d9b3f7a2e4c1
Revises: e1c4a8b5f2d6
Create Date: 2026-12-05 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.models.types


# revision identifiers, used by Alembic.
revision = 'd9b3f7a2e4c1'
down_revision = 'e1c4a8b5f2d6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'email_confirmed_at', forum.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column(
            'email_notifications', sa.String(length=16), server_default='immediately',
            nullable=False))
        batch_op.add_column(sa.Column(
            'digest', sa.String(length=16), server_default='weekly', nullable=False))

    op.create_table(
        'email_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', forum.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_email_tokens_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_email_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_email_tokens_token_hash')),
    )
    op.create_index(op.f('ix_email_tokens_user_id'), 'email_tokens', ['user_id'], unique=False)

    op.create_table(
        'sent_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', forum.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_mail')),
        sa.UniqueConstraint('key', name=op.f('uq_sent_mail_key')),
    )
    op.create_index(op.f('ix_sent_mail_created_at'), 'sent_mail', ['created_at'], unique=False)

    op.create_table(
        'periodic_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=100), nullable=False),
        sa.Column('slot', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('finished_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_runs')),
        sa.UniqueConstraint('job', 'slot', name='uq_periodic_runs_job_slot'),
    )


def downgrade():
    op.drop_table('periodic_runs')
    op.drop_index(op.f('ix_sent_mail_created_at'), table_name='sent_mail')
    op.drop_table('sent_mail')
    op.drop_index(op.f('ix_email_tokens_user_id'), table_name='email_tokens')
    op.drop_table('email_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('digest')
        batch_op.drop_column('email_notifications')
        batch_op.drop_column('email_confirmed_at')
