"""Email: send an invoice, mark it as sent by hand, and the email log (read, retry a failure).

Staff read the log; accountants and admins send and retry (emails.send). A viewer gets 403.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, Field

from billing_app.api.deps import DbSession, requires
from billing_app.api.invoices import InvoiceId, Writer, invoice_out
from billing_app.api.invoice_schemas import InvoiceOut
from billing_app.api.schemas import DbId, Limit, Offset, Page
from billing_app.auth.permissions import Action
from billing_app.models.inputs import DELIVERABLE_EMAIL
from billing_app.models.messaging import EmailOutbox, OutboxStatus
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.queries.emails import email_detail, emails_page
from billing_app.services.emails import email_retry
from billing_app.services.invoices.sending import invoice_mark_sent, invoice_send

router = APIRouter()

Reader = Annotated[User, Depends(requires(Action.EMAILS_READ))]
Sender = Annotated[User, Depends(requires(Action.EMAILS_SEND))]


class SendBody(BaseModel):
    # the schema states what the service checks, in the service's words
    recipients: list[Annotated[str, Field(max_length=254, json_schema_extra={"format": "email"})]] = \
        Field(max_length=10, description=DELIVERABLE_EMAIL, json_schema_extra={"minItems": 1})
    subject: str = Field(max_length=300, json_schema_extra={"pattern": r"\S"})
    message: str = Field(max_length=20_000, json_schema_extra={"pattern": r"\S"})


class EmailOut(BaseModel):
    id: int
    status: OutboxStatus
    to_address: str
    subject: str
    kind: str
    invoice_id: int | None
    invoice_number: str | None = None
    payment_id: int | None
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, email: EmailOutbox, invoice_number: str | None) -> "EmailOut":
        return cls(**{name: getattr(email, name) for name in EmailOut.model_fields
                      if name != "invoice_number"}, invoice_number=invoice_number)


class EmailDetailOut(EmailOut):
    body_text: str
    body_html: str | None
    attachments: list[str]


class SendOut(BaseModel):
    invoice: InvoiceOut
    emails: list[EmailOut]


@router.post("/invoices/{invoice_id}/send", tags=["invoices"],
             status_code=status.HTTP_202_ACCEPTED)
def invoices_send(invoice_id: InvoiceId, body: SendBody, session: DbSession,
                  actor: Sender) -> SendOut:
    """Email the invoice's PDF to each recipient (a draft is issued first). The emails are
    queued (202); the invoice becomes sent when the mail server accepts one."""
    emails = invoice_send(session, actor=actor, invoice_id=invoice_id,
                          recipients=body.recipients, subject=body.subject, message=body.message,
                          today=company_today(session))
    invoice = invoice_out(session, actor, invoice_id)
    return SendOut(invoice=invoice, emails=[EmailOut.of(email, invoice.number) for email in emails])


@router.post("/invoices/{invoice_id}/mark-sent", tags=["invoices"])
def invoices_mark_sent(invoice_id: InvoiceId, session: DbSession, actor: Writer) -> InvoiceOut:
    """The issued invoice went out another way (post): it becomes sent. 409 if it was sent."""
    invoice_mark_sent(session, actor=actor, invoice_id=invoice_id)
    return invoice_out(session, actor, invoice_id)


@router.get("/emails", tags=["emails"])
def emails_list(session: DbSession, actor: Reader, offset: Offset = 0, limit: Limit = 25,
                status_: Annotated[OutboxStatus | None, Query(alias="status")] = None,
                invoice_id: Annotated[DbId | None, Query()] = None) -> Page[EmailOut]:
    """The email log, newest first."""
    page = emails_page(session, actor=actor, status=status_, invoice_id=invoice_id,
                       offset=offset, limit=limit)
    return Page[EmailOut](items=[EmailOut.of(r.email, r.invoice_number) for r in page.rows],
                          total=page.total, offset=offset, limit=limit)


EmailId = Annotated[DbId, Path()]


@router.get("/emails/{email_id}", tags=["emails"])
def emails_get(email_id: EmailId, session: DbSession, actor: Reader) -> EmailDetailOut:
    """One email as it was written, and the names of the PDFs it carries."""
    detail = email_detail(session, actor=actor, email_id=email_id)
    return EmailDetailOut(**EmailOut.of(detail.email, detail.invoice_number).model_dump(),
                          body_text=detail.email.body_text, body_html=detail.email.body_html,
                          attachments=[document.filename for document in detail.attachments])


@router.post("/emails/{email_id}/retry", tags=["emails"])
def emails_retry(email_id: EmailId, session: DbSession, actor: Sender) -> EmailOut:
    """Queue a failed email again (409 unless it failed)."""
    email = email_retry(session, actor=actor, email_id=email_id)
    return EmailOut.of(email, None)
