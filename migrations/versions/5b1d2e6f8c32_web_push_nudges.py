"""web push nudges

Revision ID: 5b1d2e6f8c32
Revises: 4a0c1f5e7b21
Create Date: 2026-11-22 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b1d2e6f8c32"
down_revision = "4a0c1f5e7b21"
branch_labels = None
depends_on = None


def upgrade():
    # Adding a nullable column never copies the users table, so nothing cascades.
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("low_capacity_on", sa.Date(), nullable=True))

    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=False),
        sa.Column("p256dh", sa.String(length=100), nullable=False),
        sa.Column("auth", sa.String(length=32), nullable=False),
        sa.Column("app_origin", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_push_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name=op.f("uq_push_subscriptions_endpoint")),
    )
    with op.batch_alter_table("push_subscriptions") as batch_op:
        batch_op.create_index("ix_push_subscriptions_user_id", ["user_id"], unique=False)

    op.create_table(
        "nudge_plans",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("times", sa.String(length=20), nullable=False),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("only_if_no_win_today", sa.Boolean(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("nudged_since", sa.Date(), nullable=True),
        sa.Column("last_sent_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_nudge_plans_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_nudge_plans")),
    )
    with op.batch_alter_table("nudge_plans") as batch_op:
        batch_op.create_index("ix_nudge_plans_next_due_at", ["next_due_at"], unique=False)

    op.create_table(
        "nudge_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_nudge_deliveries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nudge_deliveries")),
        sa.UniqueConstraint(
            "user_id",
            "local_date",
            "local_time",
            name=op.f("uq_nudge_deliveries_user_id_local_date_local_time"),
        ),
    )

    op.create_table(
        "nudge_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=True),
        sa.Column("push_origin", sa.String(length=300), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["nudge_deliveries.id"],
            name=op.f("fk_nudge_attempts_delivery_id_nudge_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nudge_attempts")),
    )
    with op.batch_alter_table("nudge_attempts") as batch_op:
        batch_op.create_index("ix_nudge_attempts_delivery_id", ["delivery_id"], unique=False)


def downgrade():
    with op.batch_alter_table("nudge_attempts") as batch_op:
        batch_op.drop_index("ix_nudge_attempts_delivery_id")
    op.drop_table("nudge_attempts")
    op.drop_table("nudge_deliveries")
    with op.batch_alter_table("nudge_plans") as batch_op:
        batch_op.drop_index("ix_nudge_plans_next_due_at")
    op.drop_table("nudge_plans")
    with op.batch_alter_table("push_subscriptions") as batch_op:
        batch_op.drop_index("ix_push_subscriptions_user_id")
    op.drop_table("push_subscriptions")
    # SQLite drops the column in place: copying the users table instead would
    # cascade-delete every goal, step and win that points at it.
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.drop_column("low_capacity_on")
