"""Payments received: recording, allocating to invoices, client credit, voids and refunds."""

from billing_app.services.payments.credit_notes import (
    CreditNoteIn,
    credit_note_issue,
    credit_note_preview,
)
from billing_app.services.payments.inputs import AllocationIn, PaymentIn
from billing_app.services.payments.recording import (
    allocation_remove,
    credit_apply,
    payment_allocate,
    payment_record,
    payment_refund,
    payment_return,
    payment_void,
)
from billing_app.services.payments.refunds import RefundIn, refund_credit, refund_payment, refund_undo

__all__ = [
    "AllocationIn", "CreditNoteIn", "PaymentIn", "credit_note_issue", "credit_note_preview", "allocation_remove", "credit_apply", "payment_allocate",
    "payment_record", "payment_refund", "payment_return", "payment_void",
    "RefundIn", "refund_credit", "refund_payment", "refund_undo",
]
