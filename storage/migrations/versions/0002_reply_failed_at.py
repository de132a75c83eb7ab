"""dialogs.reply_failed_at: a reply given up after its retries, told at the next message

Revision ID: 0002_reply_failed_at
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_reply_failed_at"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dialogs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_failed_at", sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dialogs", schema=None) as batch_op:
        batch_op.drop_column("reply_failed_at")
