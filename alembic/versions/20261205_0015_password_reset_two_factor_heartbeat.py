"""password reset links, TOTP two-factor with recovery codes, the worker heartbeat

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from billing_app.models.base import AwareDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _single_use_table(name: str, hash_column: str, *extra: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(hash_column, sa.String(length=64), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
        *extra,
        sa.Column("used_at", AwareDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f(f"fk_{name}_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint(hash_column, name=op.f(f"uq_{name}_{hash_column}")),
    )
    op.create_index(op.f(f"ix_{name}_user_id"), name, ["user_id"], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("totp_enabled_at", AwareDateTime(), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("require_admin_two_factor", sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    _single_use_table("recovery_codes", "code_hash")
    _single_use_table("password_reset_tokens", "token_hash",
                      sa.Column("expires_at", AwareDateTime(), nullable=False))
    op.create_table(
        "worker_heartbeats",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("beat_at", AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_worker_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("worker_heartbeats")
    for name in ("password_reset_tokens", "recovery_codes"):
        op.drop_index(op.f(f"ix_{name}_user_id"), table_name=name)
        op.drop_table(name)
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_column("require_admin_two_factor")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")
