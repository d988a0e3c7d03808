"""reports: daily receivables snapshots for DSO history; covering indexes for the home page

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import billing_app.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "receivables_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("outstanding", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("overdue", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("open_invoices", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("invoiced_trailing", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("collected_trailing", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("taken_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receivables_snapshots")),
        sa.UniqueConstraint("day", "currency", name=op.f("uq_receivables_snapshots_day_currency")),
    )
    op.create_index(op.f("ix_receivables_snapshots_day"), "receivables_snapshots", ["day"],
                    unique=False)
    # the home page's reads, answered from the index alone (see models/reports.py)
    op.create_index("ix_invoices_open_due_date", "invoices", ["due_date"], unique=False,
                    postgresql_include=["id", "client_id", "currency", "balance_due"],
                    postgresql_where=sa.text("status IN ('issued', 'sent', 'partially_paid', 'overdue')"))
    op.create_index("ix_invoices_issued_by_date", "invoices", ["issue_date"], unique=False,
                    postgresql_include=["currency", "total", "tax_total"],
                    postgresql_where=sa.text("number IS NOT NULL AND status <> 'draft'"))
    op.create_index("ix_payments_completed_by_date", "payments", ["payment_date"], unique=False,
                    postgresql_include=["currency", "amount"],
                    postgresql_where=sa.text("status = 'completed'"))


def downgrade() -> None:
    op.drop_index("ix_payments_completed_by_date", table_name="payments")
    op.drop_index("ix_invoices_issued_by_date", table_name="invoices")
    op.drop_index("ix_invoices_open_due_date", table_name="invoices")
    op.drop_index(op.f("ix_receivables_snapshots_day"), table_name="receivables_snapshots")
    op.drop_table("receivables_snapshots")
