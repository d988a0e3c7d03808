"""email delivery: SMTP sending state, attachments, editable templates, sent status

Issuing no longer means sent: new invoices are 'issued' until emailed or marked as sent.
Invoices already 'sent' keep that status (the product said so when they were issued).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import billing_app.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    stamp = billing_app.models.base.AwareDateTime(timezone=True)
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", stamp, nullable=True))
        batch_op.add_column(sa.Column("claimed_at", stamp, nullable=True))
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_email_outbox_client_id_clients"),
                                    "clients", ["client_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_email_outbox_created_by_id_users"),
                                    "users", ["created_by_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_email_outbox_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_outbox_payment_id"), ["payment_id"],
                              unique=False)
        batch_op.create_index("ix_email_outbox_status_next_attempt",
                              ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "email_attachments",
        sa.Column("email_id", sa.Integer(), nullable=False),
        sa.Column("sent_document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["email_id"], ["email_outbox.id"],
                                name=op.f("fk_email_attachments_email_id_email_outbox")),
        sa.ForeignKeyConstraint(["sent_document_id"], ["sent_documents.id"],
                                name=op.f("fk_email_attachments_sent_document_id_sent_documents")),
        sa.PrimaryKeyConstraint("email_id", "sent_document_id", name=op.f("pk_email_attachments")),
    )
    op.create_table(
        "email_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_email_templates_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_templates")),
        sa.UniqueConstraint("key", name=op.f("uq_email_templates_key")),
    )


def downgrade() -> None:
    op.drop_table("email_templates")
    op.drop_table("email_attachments")
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_email_outbox_status_next_attempt")
        batch_op.drop_index(batch_op.f("ix_email_outbox_payment_id"))
        batch_op.drop_index(batch_op.f("ix_email_outbox_client_id"))
        batch_op.drop_constraint(batch_op.f("fk_email_outbox_created_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_email_outbox_client_id_clients"),
                                 type_="foreignkey")
        for column in ("created_by_id", "claimed_at", "next_attempt_at", "client_id"):
            batch_op.drop_column(column)
    # invoices only issued (never delivered) were 'sent' before this revision
    op.execute("UPDATE invoices SET status = 'sent' WHERE status = 'issued'")
