"""bulk jobs with progress: send, remind, PDF zip, statement runs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import billing_app.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bulk_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("request_key", sa.String(length=100), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result_path", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column("started_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("done >= 0 AND failed >= 0 AND done + failed <= total",
                           name=op.f("ck_bulk_jobs_progress")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_bulk_jobs_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_jobs")),
        sa.UniqueConstraint("created_by_id", "request_key",
                            name=op.f("uq_bulk_jobs_created_by_id_request_key")),
    )
    with op.batch_alter_table("bulk_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_bulk_jobs_created_by_created", ["created_by_id", "created_at"],
                              unique=False)

    op.create_table(
        "bulk_job_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(invoice_id IS NULL) <> (client_id IS NULL)",
                           name=op.f("ck_bulk_job_items_one_target")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"],
                                name=op.f("fk_bulk_job_items_client_id_clients")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_bulk_job_items_invoice_id_invoices")),
        sa.ForeignKeyConstraint(["job_id"], ["bulk_jobs.id"],
                                name=op.f("fk_bulk_job_items_job_id_bulk_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_job_items")),
        sa.UniqueConstraint("job_id", "position", name=op.f("uq_bulk_job_items_job_id_position")),
    )
    with op.batch_alter_table("bulk_job_items", schema=None) as batch_op:
        batch_op.create_index("ix_bulk_job_items_job_status", ["job_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bulk_job_items", schema=None) as batch_op:
        batch_op.drop_index("ix_bulk_job_items_job_status")
    op.drop_table("bulk_job_items")
    with op.batch_alter_table("bulk_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_bulk_jobs_created_by_created")
    op.drop_table("bulk_jobs")
