"""Payments received: recording, allocating to invoices, client credit, voids and refunds."""

from billing_app.services.payments.credit_notes import CreditNoteIn, credit_note_issue
from billing_app.services.payments.inputs import AllocationIn, PaymentIn
from billing_app.services.payments.recording import (
    allocation_remove,
    credit_apply,
    payment_allocate,
    payment_record,
    payment_refund,
    payment_void,
)

__all__ = [
    "AllocationIn", "CreditNoteIn", "PaymentIn", "credit_note_issue", "allocation_remove", "credit_apply", "payment_allocate",
    "payment_record", "payment_refund", "payment_void",
]
