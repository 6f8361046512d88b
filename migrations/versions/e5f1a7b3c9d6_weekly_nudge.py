"""weekly nudge: a chosen weekday and time to look back on the week

Revision ID: e5f1a7b3c9d6
Revises: d4e0f6a2b8c5
Create Date: 2026-12-01 20:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e5f1a7b3c9d6"
down_revision = "d4e0f6a2b8c5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("nudge_plans") as batch_op:
        batch_op.add_column(sa.Column("weekly_day", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("weekly_time", sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table("nudge_plans") as batch_op:
        batch_op.drop_column("weekly_time")
        batch_op.drop_column("weekly_day")
