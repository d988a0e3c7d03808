"""company settings and catalogue

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_company_terms_days_range"),
            "default_payment_terms_days >= 0 AND default_payment_terms_days <= 365",
        )
    with op.batch_alter_table("tax_rates", schema=None) as batch_op:
        batch_op.create_index(
            "uq_tax_rates_one_default", ["is_default"], unique=True,
            postgresql_where=sa.text("is_default"), sqlite_where=sa.text("is_default"),
        )


def downgrade() -> None:
    with op.batch_alter_table("tax_rates", schema=None) as batch_op:
        batch_op.drop_index("uq_tax_rates_one_default")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_company_terms_days_range"), type_="check")
