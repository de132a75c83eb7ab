"""broadcasts.ward_ids: the wards whose tổ trưởng a city broadcast reaches (issue 19)

Revision ID: 0009_city_broadcasts
Revises: 0008_wards
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_city_broadcasts"
down_revision = "0008_wards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ward_ids", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_column("ward_ids")
