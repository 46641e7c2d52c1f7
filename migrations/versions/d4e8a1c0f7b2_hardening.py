"""hardening: one open flag per member, redacted revisions, confusable-name keys

Revision ID: d4e8a1c0f7b2
Revises: b7e4c2a91d03
Create Date: 2026-12-02 09:15:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.models.types


# revision identifiers, used by Alembic.
revision = 'd4e8a1c0f7b2'
down_revision = 'b7e4c2a91d03'
branch_labels = None
depends_on = None


def upgrade():
    # Duplicate open flags from before the index: keep each member's oldest, dismiss the rest.
    op.execute(
        "UPDATE flags SET status = 'dismissed', resolution = 'dismiss' "
        "WHERE status = 'open' AND id NOT IN ("
        "SELECT min(id) FROM flags WHERE status = 'open' GROUP BY contribution_id, reporter_id)"
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(
            'uq_flags_open_per_reporter', ['contribution_id', 'reporter_id'], unique=True,
            sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"),
        )

    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('redacted_at', forum.models.types.UTCDateTime(timezone=True), nullable=True)
        )

    # A plain ALTER on both databases (a batch would copy the table on SQLite for nothing).
    op.add_column(
        'contributions',
        sa.Column('deleted_by_author', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # An author's delete is never logged, a moderator's always is (and so is every restore):
    # a deleted contribution whose last logged delete or restore is not a delete was deleted by
    # its author.
    op.execute(
        "UPDATE contributions SET deleted_by_author = true WHERE status = 'deleted' AND "
        "COALESCE((SELECT m.action FROM moderation_actions m WHERE m.target_type = 'contribution'"
        " AND m.target_id = contributions.id AND m.action IN ('delete', 'restore')"
        " ORDER BY m.id DESC LIMIT 1), 'restore') = 'restore'"
    )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('username_key', sa.String(length=120), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('display_key', sa.String(length=240), nullable=False, server_default='')
        )
        batch_op.create_index(batch_op.f('ix_users_username_key'), ['username_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_display_key'), ['display_key'], unique=False)
    _fill_name_keys()


def _fill_name_keys():
    """Existing members get their keys computed by the same function the service uses."""
    from forum.names import name_key

    connection = op.get_bind()
    users = sa.table(
        'users', sa.column('id'), sa.column('username'), sa.column('display_name'),
        sa.column('username_key'), sa.column('display_key'),
    )
    rows = connection.execute(sa.select(users.c.id, users.c.username, users.c.display_name))
    for user_id, username, display_name in rows.fetchall():
        connection.execute(
            users.update().where(users.c.id == user_id).values(
                username_key=name_key(username), display_key=name_key(display_name)
            )
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_display_key'))
        batch_op.drop_index(batch_op.f('ix_users_username_key'))
        batch_op.drop_column('display_key')
        batch_op.drop_column('username_key')

    op.drop_column('contributions', 'deleted_by_author')

    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_column('redacted_at')

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('uq_flags_open_per_reporter')
