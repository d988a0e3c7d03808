"""payment reference search: a trigram index for searching payments by reference

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # outside a batch: no SQLite table rebuild; pg_trgm comes with 0002
    op.create_index("ix_payments_reference_search", "payments", ["reference"], unique=False,
                    postgresql_using="gin", postgresql_ops={"reference": "gin_trgm_ops"})


def downgrade() -> None:
    op.drop_index("ix_payments_reference_search", table_name="payments")
