"""invoice changes: a count of committed statements that changed invoices or clients

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05

The invoice list's count and sums are cached per filter (queries/invoices/totals_cache.py),
under the number of changes the reading transaction can see. A statement-level trigger on
invoices and clients (a client's name is searched) adds a row of n = 1 to invoice_changes:
being a row, it is seen exactly when the change it counts is committed, so two snapshots with
the same sum(n) see the same invoices. Inserts take no lock another writer waits for. Every
thousandth row folds the committed rows before it into one row of their sum, keeping the
table small and the sum unchanged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("invoices", "clients")


def upgrade() -> None:
    op.create_table(
        "invoice_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("n", sa.BigInteger(), nullable=False),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION invoice_changes_count() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            added bigint;
        BEGIN
            INSERT INTO invoice_changes (n) VALUES (1) RETURNING id INTO added;
            IF added % 1000 = 0 THEN
                WITH folded AS (DELETE FROM invoice_changes WHERE id < added RETURNING n)
                INSERT INTO invoice_changes (n) SELECT sum(n) FROM folded HAVING count(*) > 0;
            END IF;
            RETURN NULL;
        END
        $$
    """)
    for table in TABLES:
        op.execute(f"""
            CREATE TRIGGER {table}_changes_count
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION invoice_changes_count()
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_changes_count ON {table}")
        op.execute("DROP FUNCTION invoice_changes_count()")
    op.drop_table("invoice_changes")
