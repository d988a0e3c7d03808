"""bounded text: every text a person types has a maximum in the database as in its form

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05

Notes, terms, descriptions, reasons and instructions were TEXT; they become VARCHAR of the
same maximum their input shapes already enforce, so nothing stored before is too long.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOUNDED = {
    "clients": {"notes": 5000},
    "products": {"description": 5000},
    "company": {"invoice_footer": 2000, "default_notes": 5000, "default_terms": 5000,
                "payment_instructions": 1000},
    "invoices": {"notes": 5000, "terms": 5000},
    "invoice_lines": {"description": 2000},
    "credit_notes": {"reason": 500},
    "payments": {"notes": 5000},
}


def _sqlite_indexes(table: str) -> dict[str, str]:
    rows = op.get_bind().execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL"
    ), {"t": table})
    return dict(rows.all())


def _alter(bounded: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in BOUNDED.items():
        # SQLite copies the table, and its indexes on expressions (lower(name)) would be lost
        indexes = _sqlite_indexes(table) if sqlite else {}
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, length in columns.items():
                old, new = sa.Text(), sa.String(length=length)
                batch_op.alter_column(column, existing_type=old if bounded else new,
                                      type_=new if bounded else old)
        for name in indexes.keys() - (_sqlite_indexes(table) if sqlite else {}).keys():
            op.execute(indexes[name])


def upgrade() -> None:
    _alter(bounded=True)


def downgrade() -> None:
    _alter(bounded=False)
