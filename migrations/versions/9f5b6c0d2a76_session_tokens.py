"""session tokens and ids that are never reused

Revision ID: 9f5b6c0d2a76
Revises: 8e4a5b9c1f65
Create Date: 2026-12-01 10:00:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "9f5b6c0d2a76"
down_revision = "8e4a5b9c1f65"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_token=secrets.token_urlsafe(32))
        )
    # Recreated on SQLite with AUTOINCREMENT, so a deleted person's id is never handed out again.
    with op.batch_alter_table(
        "users", schema=None, recreate="auto", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_session_token"), ["session_token"])
        batch_op.drop_column("session_version")
    # Failures were kept under the plain email; they are now kept under keyed hashes.
    op.execute("DELETE FROM login_failures")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.drop_constraint(batch_op.f("uq_users_session_token"), type_="unique")
        batch_op.drop_column("session_token")
    op.execute("DELETE FROM login_failures")
