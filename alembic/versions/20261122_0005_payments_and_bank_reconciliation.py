"""payments and bank reconciliation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Payments learn how much of them is allocated (the rest is client credit) and the
database refuses over-allocation and negative invoice balances.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import billing_app.models.base


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuilds_tables() -> bool:
    """SQLite alters a table by copying it, which drops indexes it cannot reflect."""
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table('bank_csv_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('default_currency', sa.String(length=3), nullable=False),
    sa.Column('updated_at', billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_csv_profiles')),
    sa.UniqueConstraint('name', name=op.f('uq_bank_csv_profiles_name'))
    )
    op.create_table('client_bank_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('iban', sa.String(length=34), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('learned_at', billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_bank_accounts_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_bank_accounts')),
    sa.UniqueConstraint('iban', name=op.f('uq_client_bank_accounts_iban'))
    )
    with op.batch_alter_table('client_bank_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_bank_accounts_client_id'), ['client_id'], unique=False)

    op.create_table('bank_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('account_iban', sa.String(length=34), nullable=True),
    sa.Column('statement_ref', sa.String(length=100), nullable=True),
    sa.Column('csv_profile_id', sa.Integer(), nullable=True),
    sa.Column('opening_balance', sa.Numeric(precision=19, scale=4), nullable=True),
    sa.Column('closing_balance', sa.Numeric(precision=19, scale=4), nullable=True),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('new_line_count', sa.Integer(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['csv_profile_id'], ['bank_csv_profiles.id'], name=op.f('fk_bank_statements_csv_profile_id_bank_csv_profiles')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_bank_statements_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statements'))
    )
    with op.batch_alter_table('bank_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_statements_file_sha256'), ['file_sha256'], unique=False)

    op.create_table('bank_statement_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('booking_date', sa.Date(), nullable=False),
    sa.Column('value_date', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=19, scale=4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('counterparty_name', sa.String(length=200), nullable=False),
    sa.Column('counterparty_iban', sa.String(length=34), nullable=False),
    sa.Column('bank_reference', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_bank_statement_lines_payment_id_payments')),
    sa.ForeignKeyConstraint(['statement_id'], ['bank_statements.id'], name=op.f('fk_bank_statement_lines_statement_id_bank_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statement_lines')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_bank_statement_lines_fingerprint'))
    )
    with op.batch_alter_table('bank_statement_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_statement_lines_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_statement_lines_statement_id'), ['statement_id'], unique=False)
        batch_op.create_index('ix_bank_statement_lines_status_booking_date', ['status', 'booking_date'], unique=False)

    op.create_table('gateway_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=50), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_gateway_events_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_events'))
    )
    with op.batch_alter_table('gateway_events', schema=None) as batch_op:
        batch_op.create_index('uq_gateway_events_provider_event', ['provider', 'event_id'], unique=True)

    op.create_table('bank_match_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', billing_app.models.base.AwareDateTime(timezone=True), nullable=True),
    sa.Column('created_at', billing_app.models.base.AwareDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('confidence >= 0 AND confidence <= 100', name=op.f('ck_bank_match_proposals_confidence_range')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_bank_match_proposals_client_id_clients')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_bank_match_proposals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['line_id'], ['bank_statement_lines.id'], name=op.f('fk_bank_match_proposals_line_id_bank_statement_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_match_proposals'))
    )
    with op.batch_alter_table('bank_match_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_match_proposals_line_id'), ['line_id'], unique=False)
        batch_op.create_index('ix_bank_match_proposals_status_confidence', ['status', 'confidence'], unique=False)

    op.create_table('bank_match_proposal_invoices',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=19, scale=4), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_bank_match_proposal_invoices_amount_positive')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_bank_match_proposal_invoices_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['proposal_id'], ['bank_match_proposals.id'], name=op.f('fk_bank_match_proposal_invoices_proposal_id_bank_match_proposals')),
    sa.PrimaryKeyConstraint('proposal_id', 'invoice_id', name=op.f('pk_bank_match_proposal_invoices'))
    )
    with op.batch_alter_table('bank_match_proposal_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_match_proposal_invoices_invoice_id'), ['invoice_id'], unique=False)

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount_allocated', sa.Numeric(precision=19, scale=4), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('reversed_at', billing_app.models.base.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reversal_reason', sa.String(length=500), nullable=True))
    # rounded: SQLite sums its REAL-stored amounts in floating point (100.1 + 200.2 > 300.3)
    op.execute("UPDATE payments SET amount_allocated = (SELECT ROUND(COALESCE(SUM(a.amount), 0), 4) "
               "FROM payment_allocations a WHERE a.payment_id = payments.id)")
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('amount_allocated', server_default=None)
        batch_op.create_check_constraint(op.f('ck_payments_allocated_within_amount'),
                                         'amount_allocated >= 0 AND amount_allocated <= amount')
    if _rebuilds_tables():
        return  # a SQLite rebuild of invoices would lose its expression indexes
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_invoices_balance_not_negative'), 'balance_due >= 0')



def downgrade() -> None:
    if not _rebuilds_tables():
        with op.batch_alter_table('invoices', schema=None) as batch_op:
            batch_op.drop_constraint(op.f('ck_invoices_balance_not_negative'), type_='check')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payments_allocated_within_amount'), type_='check')
        batch_op.drop_column('reversal_reason')
        batch_op.drop_column('reversed_at')
        batch_op.drop_column('amount_allocated')

    with op.batch_alter_table('bank_match_proposal_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_match_proposal_invoices_invoice_id'))

    op.drop_table('bank_match_proposal_invoices')
    with op.batch_alter_table('bank_match_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_match_proposals_status_confidence')
        batch_op.drop_index(batch_op.f('ix_bank_match_proposals_line_id'))

    op.drop_table('bank_match_proposals')
    with op.batch_alter_table('gateway_events', schema=None) as batch_op:
        batch_op.drop_index('uq_gateway_events_provider_event')

    op.drop_table('gateway_events')
    with op.batch_alter_table('bank_statement_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_statement_lines_status_booking_date')
        batch_op.drop_index(batch_op.f('ix_bank_statement_lines_statement_id'))
        batch_op.drop_index(batch_op.f('ix_bank_statement_lines_payment_id'))

    op.drop_table('bank_statement_lines')
    with op.batch_alter_table('bank_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_statements_file_sha256'))

    op.drop_table('bank_statements')
    with op.batch_alter_table('client_bank_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_bank_accounts_client_id'))

    op.drop_table('client_bank_accounts')
    op.drop_table('bank_csv_profiles')
