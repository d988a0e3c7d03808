"""Payments received and what they settle: recording, allocating, voids and refunds; an
invoice's payments and credit notes; a client's credit and account statement.

Staff only: accountants and admins write, viewers read, client accounts get 403.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from sqlmodel import Session, SQLModel

from billing_app.api.deps import DbSession, requires
from billing_app.api.invoice_schemas import InvoiceOut
from billing_app.api.payment_schemas import (
    AllocateBody,
    AllocationOut,
    ApplyCreditBody,
    CreditNoteBody,
    CreditNoteOut,
    PaymentBody,
    PaymentOut,
    PaymentPageOut,
    ReasonBody,
    RefundBody,
    RefundOut,
    StatementOut,
)
from billing_app.api.schemas import DbId, Limit, Offset, Search
from billing_app.api.shapes import amount_text
from billing_app.auth.permissions import Action
from billing_app.errors import NotFound
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.payments import PaymentMethod, PaymentStatus
from billing_app.models.users import User
from billing_app.queries.credit_notes import note_lines
from billing_app.queries.invoices import invoice_detail
from billing_app.queries.payments import (
    CreditNoteRow,
    RefundRow,
    client_credit,
    client_statement,
    credit_notes,
    invoice_payments,
    payment_detail,
    payments_page,
    refunds_list,
)
from billing_app.models.inputs import CurrencyCode
from billing_app.services.payments import (
    allocation_remove,
    credit_apply,
    credit_note_issue,
    payment_allocate,
    payment_record,
    payment_refund,
    payment_void,
    refund_credit,
    refund_payment,
)

router = APIRouter(tags=["payments"])

Reader = Annotated[User, Depends(requires(Action.PAYMENTS_READ))]
Writer = Annotated[User, Depends(requires(Action.PAYMENTS_WRITE))]
PaymentId = Annotated[DbId, Path()]
InvoiceId = Annotated[DbId, Path()]
ClientId = Annotated[DbId, Path()]
AllocationId = Annotated[DbId, Path()]


@dataclass
class PaymentFilters:
    """The list's filters, named as payments_page takes them."""

    search: Annotated[Search, Query(description="Part of the reference or the client's name.")
                      ] = ""
    client_id: Annotated[DbId | None, Query()] = None
    status: PaymentStatus | None = None
    method: PaymentMethod | None = None
    date_from: Annotated[date | None, Query(description="Paid on or after.")] = None
    date_to: Annotated[date | None, Query(description="Paid on or before.")] = None


def _payment(session: Session, actor: User, payment_id: int) -> PaymentOut:
    return PaymentOut.of(payment_detail(session, actor=actor, payment_id=payment_id))


def _existing(session: Session, model: type[SQLModel], row_id: int) -> None:
    """A list of an unknown invoice or client is "not found", not empty."""
    if session.get(model, row_id) is None:
        raise NotFound(f"That {model.__name__.lower()} does not exist.")


# --- payments ----------------------------------------------------------------------------------

@router.get("/payments")
def payments_list(session: DbSession, actor: Reader,
                  filters: Annotated[PaymentFilters, Depends()], offset: Offset = 0,
                  limit: Limit = 25) -> PaymentPageOut:
    """Payments matching the filters, the latest payment date first."""
    page = payments_page(session, actor=actor, **vars(filters), offset=offset, limit=limit)
    return PaymentPageOut.of(page, offset=offset, limit=limit)


@router.post("/payments", status_code=status.HTTP_201_CREATED)
def payments_record(body: PaymentBody, session: DbSession, actor: Writer) -> PaymentOut:
    """Record a payment; the invoices it settles become partially paid or paid."""
    payment = payment_record(session, actor=actor, data=body.model_dump(exclude_unset=True))
    return _payment(session, actor, payment.id)


@router.get("/payments/{payment_id}")
def payments_get(payment_id: PaymentId, session: DbSession, actor: Reader) -> PaymentOut:
    """The payment with its allocations."""
    return _payment(session, actor, payment_id)


@router.post("/payments/{payment_id}/allocations")
def payments_allocate(payment_id: PaymentId, body: AllocateBody, session: DbSession,
                      actor: Writer) -> PaymentOut:
    """Allocate the unallocated rest of a payment (the client's credit from it)."""
    payment_allocate(session, actor=actor, payment_id=payment_id, auto=body.auto,
                     allocations=[allocation.model_dump() for allocation in body.allocations])
    return _payment(session, actor, payment_id)


@router.delete("/payments/{payment_id}/allocations/{allocation_id}")
def payments_unallocate(payment_id: PaymentId, allocation_id: AllocationId, session: DbSession,
                        actor: Writer) -> PaymentOut:
    """Take an allocation off its invoice; the amount becomes the client's credit again."""
    allocations = payment_detail(session, actor=actor, payment_id=payment_id).allocations
    if allocation_id not in {row.allocation_id for row in allocations}:
        raise NotFound("This payment has no such allocation.")
    allocation_remove(session, actor=actor, allocation_id=allocation_id)
    return _payment(session, actor, payment_id)


@router.post("/payments/{payment_id}/void")
def payments_void(payment_id: PaymentId, body: ReasonBody, session: DbSession,
                  actor: Writer) -> PaymentOut:
    """Cancel a payment recorded by mistake: its invoices owe again what it paid."""
    payment_void(session, actor=actor, payment_id=payment_id, reason=body.reason)
    return _payment(session, actor, payment_id)


@router.post("/payments/{payment_id}/refund")
def payments_refund(payment_id: PaymentId, body: ReasonBody, session: DbSession,
                    actor: Writer) -> PaymentOut:
    """The money went back to the client: its invoices owe again what it paid."""
    payment_refund(session, actor=actor, payment_id=payment_id, reason=body.reason)
    return _payment(session, actor, payment_id)


def _refund(session: Session, refund) -> RefundOut:
    return RefundOut.of(RefundRow(refund, session.get(Client, refund.client_id).name))


@router.post("/payments/{payment_id}/refunds", status_code=status.HTTP_201_CREATED)
def payments_refund_part(payment_id: PaymentId, body: RefundBody, session: DbSession,
                         actor: Writer) -> RefundOut:
    """Give back part or all of what is left of a payment: first its unallocated part, then
    its newest allocations (those invoices owe that part again). More than is left: 422."""
    refund = refund_payment(session, actor=actor, payment_id=payment_id,
                            data=body.model_dump(exclude_unset=True))
    return _refund(session, refund)


@router.get("/payments/{payment_id}/refunds")
def payments_refunds_list(payment_id: PaymentId, session: DbSession,
                          actor: Reader) -> list[RefundOut]:
    """The refunds that came out of the payment, newest first, undone ones too."""
    payment_detail(session, actor=actor, payment_id=payment_id)  # 404 for an unknown payment
    return [RefundOut.of(row) for row in refunds_list(session, actor=actor, payment_id=payment_id)]


# --- an invoice's payments and credit notes ----------------------------------------------------

@router.get("/invoices/{invoice_id}/payments", tags=["invoices"])
def invoice_payments_list(invoice_id: InvoiceId, session: DbSession,
                          actor: Reader) -> list[AllocationOut]:
    """The payments on the invoice, oldest first, voided and refunded ones too."""
    _existing(session, Invoice, invoice_id)
    return [AllocationOut.of(row)
            for row in invoice_payments(session, actor=actor, invoice_id=invoice_id)]


@router.get("/invoices/{invoice_id}/credit-notes", tags=["invoices"])
def invoice_credit_notes_list(invoice_id: InvoiceId, session: DbSession,
                              actor: Reader) -> list[CreditNoteOut]:
    """The invoice's credit notes, newest first."""
    _existing(session, Invoice, invoice_id)
    rows = credit_notes(session, actor=actor, invoice_id=invoice_id)
    by_line = note_lines(session, [row.credit_note.id for row in rows])
    return [CreditNoteOut.of(row, by_line[row.credit_note.id]) for row in rows]


@router.post("/invoices/{invoice_id}/credit-notes", tags=["invoices"],
             status_code=status.HTTP_201_CREATED)
def invoice_credit_notes_issue(invoice_id: InvoiceId, body: CreditNoteBody, session: DbSession,
                               actor: Writer) -> CreditNoteOut:
    """Credit part or all of an issued invoice: an amount, or by line. Crediting more than it
    still owes (it was paid) turns the excess into the client's credit."""
    note = credit_note_issue(session, actor=actor, invoice_id=invoice_id,
                             data=body.model_dump(exclude_unset=True))
    return CreditNoteOut.of(CreditNoteRow(note, session.get(Invoice, invoice_id).number),
                            note_lines(session, [note.id])[note.id])


@router.post("/invoices/{invoice_id}/apply-credit", tags=["invoices"])
def invoice_apply_credit(invoice_id: InvoiceId, session: DbSession, actor: Writer,
                         body: ApplyCreditBody | None = None) -> InvoiceOut:
    """Settle the invoice from the client's credit in its currency (the oldest payments
    first), up to `amount` or all it owes; returns the invoice."""
    credit_apply(session, actor=actor, invoice_id=invoice_id,
                 amount=body.amount if body else None)
    return InvoiceOut.of(invoice_detail(session, actor=actor, invoice_id=invoice_id))


# --- a client's credit and statement -----------------------------------------------------------

@router.get("/clients/{client_id}/credit", tags=["clients"])
def client_credit_get(client_id: ClientId, session: DbSession,
                      _actor: Reader) -> dict[str, str]:
    """Per currency, what the client paid that is not yet on an invoice: {"EUR": "25.00"}."""
    _existing(session, Client, client_id)
    return {currency: amount_text(amount, currency)
            for currency, amount in client_credit(session, client_id).items()}


@router.post("/clients/{client_id}/refunds", tags=["clients"],
             status_code=status.HTTP_201_CREATED)
def client_refund_credit(client_id: ClientId, body: RefundBody, session: DbSession,
                         actor: Writer) -> RefundOut:
    """Give the client back (part of) its credit in `currency` (the client's when left out),
    the oldest payments' credit first. More than the credit: 422; no credit: 409."""
    refund = refund_credit(session, actor=actor, client_id=client_id,
                           data=body.model_dump(exclude_unset=True))
    return _refund(session, refund)


@router.get("/clients/{client_id}/refunds", tags=["clients"])
def client_refunds_list(client_id: ClientId, session: DbSession,
                        actor: Reader) -> list[RefundOut]:
    """The client's refunds, newest first, undone ones too."""
    _existing(session, Client, client_id)
    return [RefundOut.of(row) for row in refunds_list(session, actor=actor, client_id=client_id)]


@router.get("/clients/{client_id}/statement", tags=["clients"])
def client_statement_get(
    client_id: ClientId, session: DbSession, actor: Reader,
    currency: Annotated[CurrencyCode | None, Query(description="The client's when left out.")
                        ] = None,
    date_from: Annotated[date | None, Query(description="Earlier entries are summed into the "
                                                        "opening balance.")] = None,
    date_to: Annotated[date | None, Query()] = None,
) -> StatementOut:
    """Invoices, credit notes, payments and refunds in date order with a running balance."""
    return StatementOut.of(client_statement(session, actor=actor, client_id=client_id,
                                            currency=currency, date_from=date_from,
                                            date_to=date_to))
