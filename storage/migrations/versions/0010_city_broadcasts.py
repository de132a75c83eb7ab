"""broadcasts.ward_ids: the wards whose tổ trưởng a city broadcast reaches (issue 19)

Revision ID: 0010_city_broadcasts
Revises: 0009_entry_version_period
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_city_broadcasts"
down_revision = "0009_entry_version_period"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ward_ids", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_column("ward_ids")
