"""look-back settings

Revision ID: 4a0c1f5e7b21
Revises: 3d6750ddcde4
Create Date: 2026-11-22 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "4a0c1f5e7b21"
down_revision = "3d6750ddcde4"
branch_labels = None
depends_on = None


# Every ALTER here runs in place (recreate="never"). On SQLite, copying the users or wins
# table instead would delete it first, and with foreign keys on that cascades to every
# goal, step and win pointing at it.


def upgrade():
    # Everyone who already has an account keeps seeing their streak numbers.
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("show_streak", sa.Boolean(), server_default=sa.text("true"), nullable=False)
        )
    # The look-back counts a person's live wins per day and per step from these alone.
    with op.batch_alter_table("wins", recreate="never") as batch_op:
        batch_op.create_index(
            "ix_wins_user_id_deleted_at_local_date", ["user_id", "deleted_at", "local_date"]
        )
        batch_op.create_index(
            "ix_wins_user_id_deleted_at_step_id_local_date",
            ["user_id", "deleted_at", "step_id", "local_date"],
        )


def downgrade():
    with op.batch_alter_table("wins", recreate="never") as batch_op:
        batch_op.drop_index("ix_wins_user_id_deleted_at_step_id_local_date")
        batch_op.drop_index("ix_wins_user_id_deleted_at_local_date")
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.drop_column("show_streak")
