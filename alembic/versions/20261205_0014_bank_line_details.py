"""bank statement lines: reversal, return, entry status, creditor reference and other details

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    ("reversal", sa.Boolean(), sa.false()),
    ("returned", sa.Boolean(), sa.false()),
    ("return_reason", sa.String(length=200), ""),
    ("entry_status", sa.String(length=10), "BOOK"),
    ("creditor_reference", sa.String(length=35), ""),
    ("end_to_end_id", sa.String(length=35), ""),
    ("transaction_code", sa.String(length=50), ""),
    ("bank_charge", sa.Boolean(), sa.false()),
]


def upgrade() -> None:
    # existing lines were all ordinary booked lines: the defaults describe them
    with op.batch_alter_table("bank_statement_lines", schema=None) as batch_op:
        for name, type_, default in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, server_default=default, nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("bank_statement_lines", schema=None) as batch_op:
        for name, _type, _default in reversed(COLUMNS):
            batch_op.drop_column(name)
