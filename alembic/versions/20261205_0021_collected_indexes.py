"""collected indexes: the days refunds and whole refunds moved money, for reports/collected.py

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05

Revenue, DSO and the home page read refunds by refund date and payments refunded whole by the
time they were refunded; without these, each home page read every payment and refund.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_payments_reversed_at", "payments", ["reversed_at"])
    op.create_index("ix_refunds_refund_date", "refunds", ["refund_date"])


def downgrade() -> None:
    op.drop_index("ix_refunds_refund_date", table_name="refunds")
    op.drop_index("ix_payments_reversed_at", table_name="payments")
