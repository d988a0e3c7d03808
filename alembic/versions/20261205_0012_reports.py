"""reports: daily receivables snapshots for DSO history

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


def downgrade() -> None:
    op.drop_index(op.f("ix_receivables_snapshots_day"), table_name="receivables_snapshots")
    op.drop_table("receivables_snapshots")
