"""PDF documents: layouts, bank details, document language, kept copies of sent PDFs

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import billing_app.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_layout", sa.String(length=20),
                                      server_default="classic", nullable=False))
        batch_op.add_column(sa.Column("accent_color", sa.String(length=7),
                                      server_default="#1f4e79", nullable=False))
        batch_op.add_column(sa.Column("document_language", sa.String(length=10),
                                      server_default="en", nullable=False))
        batch_op.add_column(sa.Column("iban", sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column("bic", sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column("payment_instructions", sa.Text(), nullable=True))
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_language", sa.String(length=10), nullable=True))

    op.create_table(
        "sent_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("credit_note_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", billing_app.models.base.AwareDateTime(timezone=True),
                  nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("size >= 0", name=op.f("ck_sent_documents_size_not_negative")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"],
                                name=op.f("fk_sent_documents_client_id_clients")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_sent_documents_created_by_id_users")),
        sa.ForeignKeyConstraint(["credit_note_id"], ["credit_notes.id"],
                                name=op.f("fk_sent_documents_credit_note_id_credit_notes")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_sent_documents_invoice_id_invoices")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_sent_documents_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_documents")),
    )
    with op.batch_alter_table("sent_documents", schema=None) as batch_op:
        for column in ("client_id", "credit_note_id", "invoice_id", "payment_id"):
            batch_op.create_index(batch_op.f(f"ix_sent_documents_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("sent_documents")
    # ALTER TABLE ... DROP COLUMN, also on SQLite (3.35+): a batch rebuild of clients would
    # lose its expression index on lower(name), which SQLite cannot reflect.
    op.drop_column("clients", "document_language")
    for column in ("payment_instructions", "bic", "iban", "document_language", "accent_color",
                   "document_layout"):
        op.drop_column("company", column)
