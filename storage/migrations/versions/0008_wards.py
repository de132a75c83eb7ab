"""wards: one deployment, many xã / phường / đặc khu; an existing database becomes one ward

Revision ID: 0008_wards
Revises: 0007_round_scope_handover

Every root entity gets the ward that owns it; rows already there belong to ward 1, which this
migration creates with a code made from WARD_NAME and an empty name and kind (they follow
WARD_NAME and WARD_KIND until `ward rename`). Codes and plan numbers are unique per ward.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_wards"
down_revision = "0007_round_scope_handover"
branch_labels = None
depends_on = None

# table → its old single-column unique constraint's column (now unique per ward)
PER_WARD_UNIQUE = {"plans": "number", "units": "code", "residential_groups": "code",
                   "calendar_overrides": "day"}
NULLABLE_WARD = ("people", "invites", "broadcasts")


def _first_ward_code() -> str:
    """WARD_NAME folded to a code ("Nam Đồ Sơn" → "NAM-DO-SON"), as configured right now."""
    from core.settings import Settings
    from storage.wards import code_from_name

    try:
        name = Settings().ward_name
    except Exception:  # a broken .env must not stop the upgrade; the code can be renamed
        name = ""
    return code_from_name(name) or "PHUONG"


def _ward_column(table: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("ward_id", sa.Integer(), nullable=nullable, server_default=sa.text("1"))


def upgrade() -> None:
    wards = op.create_table(
        "wards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("doc_name", sa.String(length=255), nullable=False),
        sa.Column("signer_name", sa.String(length=255), nullable=False),
        sa.Column("signer_title", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wards")),
        sa.UniqueConstraint("code", name=op.f("uq_wards_code")),
    )
    op.bulk_insert(wards, [{"id": 1, "code": _first_ward_code(), "name": "", "kind": "",
                            "active": True, "doc_name": "", "signer_name": "",
                            "signer_title": [], "recipients": []}])
    if op.get_bind().dialect.name == "postgresql":  # the explicit id 1 left the sequence at 1
        op.execute("SELECT setval(pg_get_serial_sequence('wards', 'id'), 1)")
    for table, column in PER_WARD_UNIQUE.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_ward_column(table, nullable=False))
            batch_op.drop_constraint(f"uq_{table}_{column}", type_="unique")
            batch_op.create_unique_constraint(op.f(f"uq_{table}_ward_id"), ["ward_id", column])
            batch_op.create_foreign_key(op.f(f"fk_{table}_ward_id_wards"), "wards",
                                        ["ward_id"], ["id"])
            batch_op.create_index(op.f(f"ix_{table}_ward_id"), ["ward_id"])
    for table in NULLABLE_WARD:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_ward_column(table, nullable=True))
            batch_op.create_foreign_key(op.f(f"fk_{table}_ward_id_wards"), "wards",
                                        ["ward_id"], ["id"])
            batch_op.create_index(op.f(f"ix_{table}_ward_id"), ["ward_id"])
    op.create_table(
        "ward_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["ward_id"], ["wards.id"],
                                name=op.f("fk_ward_reports_ward_id_wards")),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], ondelete="CASCADE",
                                name=op.f("fk_ward_reports_period_id_periods")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_ward_reports_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ward_reports")),
    )
    op.create_index(op.f("ix_ward_reports_ward_id"), "ward_reports", ["ward_id"])
    op.create_index("ix_ward_reports_period", "ward_reports", ["period_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_ward_reports_period", table_name="ward_reports")
    op.drop_index(op.f("ix_ward_reports_ward_id"), table_name="ward_reports")
    op.drop_table("ward_reports")
    for table in NULLABLE_WARD:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(op.f(f"ix_{table}_ward_id"))
            batch_op.drop_constraint(op.f(f"fk_{table}_ward_id_wards"), type_="foreignkey")
            batch_op.drop_column("ward_id")
    for table, column in PER_WARD_UNIQUE.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(op.f(f"ix_{table}_ward_id"))
            batch_op.drop_constraint(op.f(f"fk_{table}_ward_id_wards"), type_="foreignkey")
            batch_op.drop_constraint(op.f(f"uq_{table}_ward_id"), type_="unique")
            batch_op.create_unique_constraint(op.f(f"uq_{table}_{column}"), [column])
            batch_op.drop_column("ward_id")
    op.drop_table("wards")
