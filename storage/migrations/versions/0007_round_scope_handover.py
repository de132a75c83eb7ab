"""ad-hoc rounds ask a chosen subset of tasks and units; invites that hand a unit over

Revision ID: 0007_round_scope_handover
Revises: 0006_web_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_round_scope_handover"
down_revision = "0006_web_sessions"
branch_labels = None
depends_on = None


def _scope_table(name: str, column: str, referred: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"],
                                name=op.f(f"fk_{name}_period_id_periods"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint([column], [f"{referred}.id"],
                                name=op.f(f"fk_{name}_{column}_{referred}"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("period_id", column, name=op.f(f"uq_{name}_period_id")),
    )


def upgrade() -> None:
    # No rows: every existing round keeps asking every task of every active unit.
    _scope_table("period_tasks", "task_id", "tasks")
    _scope_table("period_units", "unit_id", "units")
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handover", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_column("handover")
    op.drop_table("period_units")
    op.drop_table("period_tasks")
