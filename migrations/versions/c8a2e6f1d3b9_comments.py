"""comments under contributions, and flags on comments

A comment is a short note under a contribution (a question to its author, added context, a
counter-experience). Contributions count their visible comments (`comment_count`, moved by SQL
arithmetic in the writing transaction; `flask --app forum recount` repairs it). A flag now says
what it is on (`target_type`) and, for a comment, which one; a member keeps one open flag per
contribution and one per comment.

Revision ID: c8a2e6f1d3b9
Revises: b7d2f4a9c1e6
Create Date: 2026-12-05 21:30:00.000000

"""
import contextlib
import warnings

from alembic import op
import sqlalchemy as sa

import forum.models.types


# revision identifiers, used by Alembic.
revision = 'c8a2e6f1d3b9'
down_revision = 'b7d2f4a9c1e6'
branch_labels = None
depends_on = None

OPEN = "status = 'open'"
OPEN_ON_CONTRIBUTION = "status = 'open' AND comment_id IS NULL"
OPEN_ON_COMMENT = "status = 'open' AND comment_id IS NOT NULL"


@contextlib.contextmanager
def _copied_on_sqlite():
    """SQLite copies `flags` to add a foreign key, reflecting the tables it refers to; it cannot
    reflect the expression indexes of `users` (unused here) and says so in a warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        yield


def upgrade():
    op.create_table(
        'comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=60), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('hidden_reason', sa.String(length=500), nullable=False),
        sa.Column('deleted_by_author', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', forum.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('edited_at', forum.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['author_id'], ['users.id'],
            name=op.f('fk_comments_author_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['contribution_id'], ['contributions.id'],
            name=op.f('fk_comments_contribution_id_contributions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(
            'ix_comments_contribution_status', ['contribution_id', 'status', 'id'], unique=False
        )
        batch_op.create_index('ix_comments_author', ['author_id', 'status'], unique=False)

    # A plain ALTER on both databases (a batch would copy the table on SQLite for nothing).
    op.add_column(
        'contributions',
        sa.Column('comment_count', sa.Integer(), nullable=False, server_default=sa.text('0')),
    )

    with _copied_on_sqlite(), op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'target_type', sa.String(length=16), nullable=False,
                server_default='contribution',
            )
        )
        batch_op.add_column(sa.Column('comment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_flags_comment_id_comments'), 'comments',
            ['comment_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.create_index(batch_op.f('ix_flags_comment_id'), ['comment_id'], unique=False)
        batch_op.drop_index('uq_flags_open_per_reporter')
        batch_op.create_index(
            'uq_flags_open_per_reporter', ['contribution_id', 'reporter_id'], unique=True,
            sqlite_where=sa.text(OPEN_ON_CONTRIBUTION),
            postgresql_where=sa.text(OPEN_ON_CONTRIBUTION),
        )
        batch_op.create_index(
            'uq_flags_open_per_reporter_comment', ['comment_id', 'reporter_id'], unique=True,
            sqlite_where=sa.text(OPEN_ON_COMMENT),
            postgresql_where=sa.text(OPEN_ON_COMMENT),
        )


def downgrade():
    # Flags on comments have no place in the older schema.
    op.execute("DELETE FROM flags WHERE comment_id IS NOT NULL")
    with _copied_on_sqlite(), op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('uq_flags_open_per_reporter_comment')
        batch_op.drop_index('uq_flags_open_per_reporter')
        batch_op.create_index(
            'uq_flags_open_per_reporter', ['contribution_id', 'reporter_id'], unique=True,
            sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN),
        )
        batch_op.drop_index(batch_op.f('ix_flags_comment_id'))
        batch_op.drop_constraint(batch_op.f('fk_flags_comment_id_comments'), type_='foreignkey')
        batch_op.drop_column('comment_id')
        batch_op.drop_column('target_type')

    op.drop_column('contributions', 'comment_count')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author')
        batch_op.drop_index('ix_comments_contribution_status')
    op.drop_table('comments')
