"""refunds (partial and of client credit), payments returned by the bank, reversal proposals

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import billing_app.models.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=19, scale=4)
TIMESTAMP = billing_app.models.base.AwareDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("amount_refunded", MONEY, nullable=False,
                                   server_default="0"))
        batch.create_check_constraint(
            op.f("ck_payments_refunded_within_amount"),
            "amount_refunded >= 0 AND amount_allocated + amount_refunded <= amount")
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("amount_refunded", server_default=None)
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("refund_date", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reversed_at", TIMESTAMP, nullable=True),
        sa.Column("reversal_reason", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_refunds_amount_positive")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"],
                                name=op.f("fk_refunds_client_id_clients")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_refunds_created_by_id_users")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_refunds_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
    )
    op.create_index("ix_refunds_client_date", "refunds", ["client_id", "refund_date"])
    op.create_index(op.f("ix_refunds_payment_id"), "refunds", ["payment_id"])
    op.create_table(
        "refund_parts",
        sa.Column("refund_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_refund_parts_amount_positive")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_refund_parts_payment_id_payments")),
        sa.ForeignKeyConstraint(["refund_id"], ["refunds.id"],
                                name=op.f("fk_refund_parts_refund_id_refunds")),
        sa.PrimaryKeyConstraint("refund_id", "payment_id", name=op.f("pk_refund_parts")),
    )
    op.create_index(op.f("ix_refund_parts_payment_id"), "refund_parts", ["payment_id"])
    op.create_table(
        "bank_reversal_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("refund_id", sa.Integer(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_bank_reversal_proposals_decided_by_id_users")),
        sa.ForeignKeyConstraint(["line_id"], ["bank_statement_lines.id"],
                                name=op.f("fk_bank_reversal_proposals_line_id_bank_statement_lines")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_bank_reversal_proposals_payment_id_payments")),
        sa.ForeignKeyConstraint(["refund_id"], ["refunds.id"],
                                name=op.f("fk_bank_reversal_proposals_refund_id_refunds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_reversal_proposals")),
    )
    for column in ("line_id", "payment_id", "refund_id"):
        op.create_index(op.f(f"ix_bank_reversal_proposals_{column}"),
                        "bank_reversal_proposals", [column])


def downgrade() -> None:
    op.drop_table("bank_reversal_proposals")
    op.drop_table("refund_parts")
    op.drop_index("ix_refunds_client_date", table_name="refunds")
    op.drop_table("refunds")
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint(op.f("ck_payments_refunded_within_amount"), type_="check")
        batch.drop_column("amount_refunded")
