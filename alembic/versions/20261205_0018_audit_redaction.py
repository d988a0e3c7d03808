"""audit redaction: the append-only audit log lets a GDPR anonymisation redact details

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05

The trigger of 0011 still refuses DELETE and TRUNCATE, and every UPDATE, except one: while
the transaction has set `billing.audit_redaction` to 'on' (services/clients/privacy.py does,
around its own updates), an UPDATE may change an entry's details and nothing else; its time,
actor, action and entity stay. The anonymisation itself is audited.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSE = """
            RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
                USING ERRCODE = 'insufficient_privilege';
"""


def _function(allow_redaction: bool) -> str:
    redaction = """
            IF TG_OP = 'UPDATE' AND current_setting('billing.audit_redaction', true) = 'on'
               AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
               AND NEW.entity_type = OLD.entity_type
               AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id
               AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id THEN
                RETURN NEW;
            END IF;""" if allow_redaction else ""
    return f"""
        CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN{redaction}{_REFUSE}        END
        $$
    """


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(allow_redaction=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(allow_redaction=False))
