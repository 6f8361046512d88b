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


def upgrade():
    pass


def downgrade():
    pass
