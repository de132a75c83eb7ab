"""send_slots: one sending budget per platform shared by every process

Revision ID: 0011_send_slots
Revises: 0010_city_broadcasts
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_send_slots"
down_revision = "0010_city_broadcasts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_slots",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", name=op.f("pk_send_slots")),
    )


def downgrade() -> None:
    op.drop_table("send_slots")
