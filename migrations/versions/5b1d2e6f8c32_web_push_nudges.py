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
    pass


def downgrade():
    pass
