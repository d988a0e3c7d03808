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
from billing_app.models.bulk import BulkItemStatus, BulkJob, BulkJobItem, BulkJobKind, BulkJobStatus
from billing_app.models.catalog import Product
from billing_app.models.changes import InvoiceChange
from billing_app.models.clients import Address, AddressKind, Client, ClientKind, Contact
from billing_app.models.company import Company, NumberSequence, TaxRate, TaxRounding
from billing_app.models.documents import DocumentKind, SentDocument
from billing_app.models.invoices import (
    CreditNote,
    CreditNoteLine,
    CreditNoteStatus,
    CreditNoteTax,
    DiscountType,
    Invoice,
    InvoiceLine,
    InvoiceLineTax,
    InvoiceStatus,
    InvoiceStatusHistory,
)
from billing_app.models.messaging import (
    EmailAttachment,
    EmailOutbox,
    EmailTemplate,
    OutboxStatus,
    ReminderSent,
)
from billing_app.models.health import WorkerHeartbeat
from billing_app.models.idempotency import IdempotencyRecord
from billing_app.models.payments import (
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundPart,
    RefundStatus,
)
from billing_app.models.reminders import FeeKind, InvoiceFee, ReminderLevel
from billing_app.models.reports import ReceivablesSnapshot
from billing_app.models.reversals import ReversalKind, ReversalProposal
from billing_app.models.users import (
    ApiToken,
    PasswordResetToken,
    RecoveryCode,
    Role,
    User,
    UserSession,
)

__all__ = [
    "Address", "AddressKind", "ApiToken", "AuditLog", "BankCsvProfile", "BankStatement",
    "BankStatementLine", "BulkItemStatus", "BulkJob", "BulkJobItem", "BulkJobKind", "BulkJobStatus",
    "ClientBankAccount", "GatewayEvent", "IdempotencyRecord", "LineStatus", "MatchProposal",
    "MatchProposalInvoice", "ProposalStatus", "StatementFormat", "Client", "ClientKind", "Company",
    "Contact", "CreditNote", "CreditNoteLine", "CreditNoteStatus", "CreditNoteTax", "DiscountType", "DocumentKind", "EmailAttachment", "EmailOutbox", "EmailTemplate", "Invoice",
    "InvoiceLine", "InvoiceLineTax", "InvoiceStatus", "InvoiceStatusHistory", "NumberSequence",
    "OutboxStatus", "Payment", "PaymentAllocation", "PaymentMethod", "PaymentStatus", "Product", "ReceivablesSnapshot",
    "FeeKind", "InvoiceFee", "ReminderLevel", "ReminderSent", "Role", "SentDocument", "TaxRate", "TaxRounding", "User", "UserSession",
    "PasswordResetToken", "RecoveryCode", "WorkerHeartbeat", "InvoiceChange",
    "Refund", "RefundPart", "RefundStatus", "ReversalKind", "ReversalProposal",
]
