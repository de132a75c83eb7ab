"""send_slots.seq and sent_at: the last messages' times, so a message is never booked less
than a second after the one 30 bookings before it went out, however late that one was

Revision ID: 0012_send_ring
Revises: 0011_send_slots
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_send_ring"
down_revision = "0011_send_slots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("send_slots", sa.Column("seq", sa.BigInteger(), server_default="0",
                                          nullable=False))
    op.add_column("send_slots", sa.Column(
        "sent_at", sa.JSON().with_variant(postgresql.ARRAY(sa.Float()), "postgresql"),
        nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("send_slots") as batch:
        batch.drop_column("sent_at")
        batch.drop_column("seq")
