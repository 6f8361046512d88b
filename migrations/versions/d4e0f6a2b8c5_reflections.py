"""reflections: a weekly look back in the person's own words

Revision ID: d4e0f6a2b8c5
Revises: c3d9e5f1a7b4
Create Date: 2026-12-01 20:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4e0f6a2b8c5"
down_revision = "c3d9e5f1a7b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reflections",
        sa.Column("week_of", sa.Date(), nullable=False),
        sa.Column("tiny_step", sa.Text(), nullable=False),
        sa.Column("shifted", sa.Text(), nullable=False),
        sa.Column("then_and_now", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("written_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reflections_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
        sa.UniqueConstraint("user_id", "change_seq", name=op.f("uq_reflections_user_id_change_seq")),
    )
    op.create_index(
        "ix_reflections_user_id_week_of", "reflections", ["user_id", "week_of"], unique=False
    )


def downgrade():
    op.drop_index("ix_reflections_user_id_week_of", table_name="reflections")
    op.drop_table("reflections")
