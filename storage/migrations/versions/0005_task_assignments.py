"""task assignments: the units that lead (chủ trì) or join (phối hợp) each task

Revision ID: 0005_task_assignments
Revises: 0004_roster_admin
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_task_assignments"
down_revision = "0004_roster_admin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No rows: every task stays assigned to every active unit, as before.
    op.create_table(
        "task_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"],
                                name=op.f("fk_task_assignments_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"],
                                name=op.f("fk_task_assignments_unit_id_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_assignments")),
        sa.UniqueConstraint("task_id", "unit_id", name=op.f("uq_task_assignments_task_id")),
    )
    with op.batch_alter_table("task_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_assignments_unit_id"), ["unit_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_assignments_unit_id"))
    op.drop_table("task_assignments")
