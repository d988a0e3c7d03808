"""invoices and numbering

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"  # pg_trgm comes with 0002
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tax_rounding", sa.String(length=20),
                                      server_default="document", nullable=False))
        batch_op.drop_constraint(op.f("ck_invoices_issued_has_number"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoices_issued_has_number"),
                                         "number IS NOT NULL OR status IN ('draft', 'cancelled')")
        batch_op.drop_index("ix_invoices_status_issue_date")
        batch_op.create_index("ix_invoices_status_issue_date_id", ["status", "issue_date", "id"],
                              unique=False)
        batch_op.create_index("ix_invoices_number_search", ["number"], unique=False,
                              postgresql_using="gin", postgresql_ops={"number": "gin_trgm_ops"})
    # an expression index: outside the batch, which cannot copy one when SQLite rebuilds a table
    op.create_index("ix_invoices_lower_number", "invoices", [sa.text(
        "lower(number) text_pattern_ops" if postgres else "lower(number)")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_invoices_lower_number", table_name="invoices")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_invoices_number_search")
        batch_op.drop_index("ix_invoices_status_issue_date_id")
        batch_op.create_index("ix_invoices_status_issue_date", ["status", "issue_date"],
                              unique=False)
        batch_op.drop_column("tax_rounding")
        batch_op.drop_constraint(op.f("ck_invoices_issued_has_number"), type_="check")
        batch_op.create_check_constraint(op.f("ck_invoices_issued_has_number"),
                                         "status = 'draft' OR number IS NOT NULL")
