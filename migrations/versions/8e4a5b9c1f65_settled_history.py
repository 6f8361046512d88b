"""settled history

Revision ID: 8e4a5b9c1f65
Revises: 7d3f4a8b0e54
Create Date: 2026-11-22 17:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "8e4a5b9c1f65"
down_revision = "7d3f4a8b0e54"
branch_labels = None
depends_on = None


def upgrade():
    # In place (recreate="never"): copying users on SQLite would cascade-delete every win.
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("settled_seq", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    op.create_table(
        "settled_history",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("cache_key", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_settled_history_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_settled_history")),
    )
    # The recent weeks are counted per day and step from one index range.
    with op.batch_alter_table("wins", recreate="never") as batch_op:
        batch_op.create_index(
            "ix_wins_user_id_deleted_at_local_date_step_id",
            ["user_id", "deleted_at", "local_date", "step_id"],
        )
        batch_op.drop_index("ix_wins_user_id_deleted_at_local_date")


def downgrade():
    with op.batch_alter_table("wins", recreate="never") as batch_op:
        batch_op.create_index(
            "ix_wins_user_id_deleted_at_local_date", ["user_id", "deleted_at", "local_date"]
        )
        batch_op.drop_index("ix_wins_user_id_deleted_at_local_date_step_id")
    op.drop_table("settled_history")
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.drop_column("settled_seq")
