"""submitted versions of entries; the admin's report sections

Revision ID: 0003
Revises: 0002_reply_failed_at

A submission now freezes the versions it submitted (entries.submitted_version). Existing
databases keep their meaning: an entry of a unit that has submitted gets the latest version
saved at or before the unit's latest submission; drafts of units that never submitted, and
entries first written after the latest submission, stay unsubmitted (NULL).
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002_reply_failed_at'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_version', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE entries SET submitted_version = ("
        " SELECT MAX(v.version) FROM entry_versions v"
        " WHERE v.entry_id = entries.id AND v.created_at <= ("
        "  SELECT MAX(s.submitted_at) FROM submissions s"
        "  WHERE s.period_id = entries.period_id AND s.unit_id = entries.unit_id))"
    )
    op.create_table('report_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_report_sections_author_id_people')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_report_sections_period_id_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_sections'))
    )
    with op.batch_alter_table('report_sections', schema=None) as batch_op:
        batch_op.create_index('ix_report_sections_period_key', ['period_id', 'key', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_sections', schema=None) as batch_op:
        batch_op.drop_index('ix_report_sections_period_key')
    op.drop_table('report_sections')
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_column('submitted_version')
