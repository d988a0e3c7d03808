"""All tables; importing this package registers them on SQLModel.metadata."""

from billing_app.models.audit import AuditLog
from billing_app.models.banking import (
    BankCsvProfile,
    BankStatement,
    BankStatementLine,
    ClientBankAccount,
    GatewayEvent,
    LineStatus,
    MatchProposal,
    MatchProposalInvoice,
    ProposalStatus,
    StatementFormat,
)
from billing_app.models.catalog import Product
from billing_app.models.clients import Address, AddressKind, Client, ClientKind, Contact
from billing_app.models.company import Company, NumberSequence, TaxRate, TaxRounding
from billing_app.models.invoices import (
    CreditNote,
    CreditNoteStatus,
    DiscountType,
    Invoice,
    InvoiceLine,
    InvoiceLineTax,
    InvoiceStatus,
    InvoiceStatusHistory,
)
from billing_app.models.messaging import EmailOutbox, OutboxStatus, ReminderSent
from billing_app.models.payments import Payment, PaymentAllocation, PaymentMethod, PaymentStatus
from billing_app.models.users import ApiToken, Role, User, UserSession

__all__ = [
    "Address", "AddressKind", "ApiToken", "AuditLog", "BankCsvProfile", "BankStatement",
    "BankStatementLine", "ClientBankAccount", "GatewayEvent", "LineStatus", "MatchProposal",
    "MatchProposalInvoice", "ProposalStatus", "StatementFormat", "Client", "ClientKind", "Company",
    "Contact", "CreditNote", "CreditNoteStatus", "DiscountType", "EmailOutbox", "Invoice",
    "InvoiceLine", "InvoiceLineTax", "InvoiceStatus", "InvoiceStatusHistory", "NumberSequence",
    "OutboxStatus", "Payment", "PaymentAllocation", "PaymentMethod", "PaymentStatus", "Product",
    "ReminderSent", "Role", "TaxRate", "TaxRounding", "User", "UserSession",
]
