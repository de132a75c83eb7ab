"""roster admin: a note and an example flag on units and tổ dân phố

Revision ID: 0004_roster_admin
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_roster_admin"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("units", "residential_groups")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("note", sa.String(length=255), nullable=False,
                                          server_default=""))
            batch_op.add_column(sa.Column("example", sa.Boolean(), nullable=False,
                                          server_default=sa.false()))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("example")
            batch_op.drop_column("note")
