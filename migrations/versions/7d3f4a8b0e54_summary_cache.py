"""summary cache

Revision ID: 7d3f4a8b0e54
Revises: 6c2e3f7a9d43
Create Date: 2026-11-22 15:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7d3f4a8b0e54"
down_revision = "6c2e3f7a9d43"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "summary_cache",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("cache_key", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_summary_cache_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_summary_cache")),
    )


def downgrade():
    op.drop_table("summary_cache")
