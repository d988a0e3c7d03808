"""credit notes by line: the invoice lines (or part quantities) a credit note takes back, and
its tax per rate

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=19, scale=4)


def upgrade() -> None:
    op.create_table(
        "credit_note_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_note_id", sa.Integer(), nullable=False),
        sa.Column("invoice_line_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("unit_price", MONEY, nullable=False),
        sa.Column("line_net", MONEY, nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_credit_note_lines_quantity_positive")),
        sa.ForeignKeyConstraint(["credit_note_id"], ["credit_notes.id"],
                                name=op.f("fk_credit_note_lines_credit_note_id_credit_notes")),
        sa.ForeignKeyConstraint(["invoice_line_id"], ["invoice_lines.id"],
                                name=op.f("fk_credit_note_lines_invoice_line_id_invoice_lines")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_note_lines")),
    )
    op.create_index(op.f("ix_credit_note_lines_credit_note_id"), "credit_note_lines",
                    ["credit_note_id"])
    op.create_index(op.f("ix_credit_note_lines_invoice_line_id"), "credit_note_lines",
                    ["invoice_line_id"])
    op.create_table(
        "credit_note_taxes",
        sa.Column("credit_note_id", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("base", MONEY, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["credit_note_id"], ["credit_notes.id"],
                                name=op.f("fk_credit_note_taxes_credit_note_id_credit_notes")),
        sa.PrimaryKeyConstraint("credit_note_id", "rate", name=op.f("pk_credit_note_taxes")),
    )


def downgrade() -> None:
    op.drop_table("credit_note_taxes")
    op.drop_index(op.f("ix_credit_note_lines_invoice_line_id"), table_name="credit_note_lines")
    op.drop_index(op.f("ix_credit_note_lines_credit_note_id"), table_name="credit_note_lines")
    op.drop_table("credit_note_lines")
