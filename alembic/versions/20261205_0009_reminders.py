"""reminders and dunning: levels, late fees, pauses, company time zone

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import billing_app.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the schedule a new installation starts with; admins change it in Settings. Each level has
# its own template key, a variant of "reminder" that an admin can edit on its own.
DEFAULT_LEVELS = [
    (-3, "Friendly reminder", "reminder:before_due", None, None),
    (7, "First reminder", "reminder:first", None, None),
    (14, "Second reminder", "reminder:second", "percent", Decimal("2")),
    (30, "Final notice", "reminder:final", None, None),
]


def _pause_columns(batch_op) -> None:
    batch_op.add_column(sa.Column("reminders_paused_at",
                                  billing_app.models.base.AwareDateTime(timezone=True),
                                  nullable=True))
    batch_op.add_column(sa.Column("reminders_pause_reason", sa.String(length=500), nullable=True))


def upgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=60), server_default="UTC",
                                      nullable=False))
    with op.batch_alter_table("clients", schema=None) as batch_op:
        _pause_columns(batch_op)
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fees_total", sa.Numeric(precision=19, scale=4),
                                      server_default="0", nullable=False))
        _pause_columns(batch_op)

    levels = op.create_table(
        "reminder_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("template_key", sa.String(length=60), nullable=False),
        sa.Column("fee_kind", sa.String(length=20), nullable=True),
        sa.Column("fee_value", sa.Numeric(precision=19, scale=4), nullable=True),
        sa.Column("created_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("days BETWEEN -365 AND 365", name=op.f("ck_reminder_levels_days_range")),
        sa.CheckConstraint("fee_value IS NULL OR fee_value >= 0",
                           name=op.f("ck_reminder_levels_fee_not_negative")),
        sa.CheckConstraint("(fee_kind IS NULL) = (fee_value IS NULL)",
                           name=op.f("ck_reminder_levels_fee_kind_with_value")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_levels")),
        sa.UniqueConstraint("days", name=op.f("uq_reminder_levels_days")),
    )
    op.create_table(
        "invoice_fees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("charged_on", sa.Date(), nullable=False),
        sa.Column("created_at", billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_invoice_fees_amount_positive")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_invoice_fees_invoice_id_invoices")),
        sa.ForeignKeyConstraint(["level"], ["reminder_levels.id"],
                                name=op.f("fk_invoice_fees_level_reminder_levels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_fees")),
        sa.UniqueConstraint("invoice_id", "level", name=op.f("uq_invoice_fees_invoice_id_level")),
    )
    with op.batch_alter_table("invoice_fees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_fees_invoice_id"), ["invoice_id"], unique=False)

    now = datetime.now(UTC)
    op.bulk_insert(levels, [
        {"days": days, "name": name, "template_key": key, "fee_kind": fee_kind,
         "fee_value": fee_value, "created_at": now, "updated_at": now}
        for days, name, key, fee_kind, fee_value in DEFAULT_LEVELS
    ])


def downgrade() -> None:
    op.drop_table("invoice_fees")
    op.drop_table("reminder_levels")
    # plain DROP COLUMN (SQLite 3.35+): a batch would rebuild invoices and clients and lose
    # their expression indexes on lower(number) and lower(name), which SQLite cannot reflect
    for column in ("reminders_pause_reason", "reminders_paused_at", "fees_total"):
        op.drop_column("invoices", column)
    for column in ("reminders_pause_reason", "reminders_paused_at"):
        op.drop_column("clients", column)
    op.drop_column("company", "time_zone")
