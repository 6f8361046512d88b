"""low-capacity days: every day a person marked, not only the latest

Revision ID: b2c8d4e0f6a3
Revises: a1b7c3d9e5f2
Create Date: 2026-12-01 19:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b2c8d4e0f6a3"
down_revision = "a1b7c3d9e5f2"
branch_labels = None
depends_on = None


def drop_users_column(name: str) -> None:
    """Drop a plain column of `users` in place (SQLite has done so natively since 3.35)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE users DROP COLUMN {name}")
    else:
        op.drop_column("users", name)


def upgrade():
    op.create_table(
        "low_capacity_days",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_low_capacity_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_low_capacity_days")),
    )
    op.execute(
        "INSERT INTO low_capacity_days (user_id, day, set_at) "
        "SELECT id, low_capacity_on, CURRENT_TIMESTAMP FROM users "
        "WHERE low_capacity_on IS NOT NULL"
    )
    drop_users_column("low_capacity_on")


def downgrade():
    op.add_column("users", sa.Column("low_capacity_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE users SET low_capacity_on = "
        "(SELECT max(day) FROM low_capacity_days WHERE low_capacity_days.user_id = users.id)"
    )
    op.drop_table("low_capacity_days")
