"""clients and contacts: indexes for the client list and its search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

Search is `ILIKE '%text%'` over client name, email, tax id and contact email. On PostgreSQL
those columns get trigram (pg_trgm) GIN indexes; pg_trgm ships with PostgreSQL (contrib, in
the Debian package and the official image) and is a trusted extension, so the database owner
may create it. Elsewhere they are plain indexes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLIENT_SEARCH_COLUMNS = ("name", "email", "tax_id")


def _create_search_index(batch_op, table: str, column: str) -> None:
    batch_op.create_index(f"ix_{table}_{column}_search", [column], postgresql_using="gin",
                          postgresql_ops={column: "gin_trgm_ops"})


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index("ix_clients_archived_name")
        batch_op.drop_index("ix_clients_email")
        batch_op.drop_index("ix_clients_tax_id")
        batch_op.create_index("ix_clients_archived_lower_name", ["is_archived", sa.text("lower(name)")])
        batch_op.create_index("ix_clients_archived_created_at", ["is_archived", "created_at"])
        for column in CLIENT_SEARCH_COLUMNS:
            _create_search_index(batch_op, "clients", column)
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        _create_search_index(batch_op, "contacts", "email")


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_email_search")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        for column in CLIENT_SEARCH_COLUMNS:
            batch_op.drop_index(f"ix_clients_{column}_search")
        batch_op.drop_index("ix_clients_archived_created_at")
        batch_op.drop_index("ix_clients_archived_lower_name")
        batch_op.create_index("ix_clients_tax_id", ["tax_id"])
        batch_op.create_index("ix_clients_email", ["email"])
        batch_op.create_index("ix_clients_archived_name", ["is_archived", "name"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP EXTENSION IF EXISTS pg_trgm")
