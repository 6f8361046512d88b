"""language: the language a person reads Small Steps in

Revision ID: f6a2b8c4d0e7
Revises: e5f1a7b3c9d6
Create Date: 2026-12-01 22:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f6a2b8c4d0e7"
down_revision = "e5f1a7b3c9d6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=16), nullable=False, server_default="en")
        )


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("language")
