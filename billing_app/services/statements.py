"""Emailing a client its account statement for a period, PDF attached (the statement run)."""

from datetime import date

from babel.dates import format_date
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.documents import sent_document_keep, statement_pdf
from billing_app.domain.money import format_money
from billing_app.errors import NotFound, ValidationFailed
from billing_app.mail.outbox import outbox_queue
from billing_app.models.clients import Client
from billing_app.models.documents import DocumentKind
from billing_app.models.messaging import EmailOutbox
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.queries.payments import statement_of
from billing_app.services.audit import audit_record
from billing_app.services.payments.receipts import receipt_address


def statement_send(session: Session, *, actor: User, client_id: int, date_from: date,
                   date_to: date) -> EmailOutbox:
    """Render the statement, keep the exact bytes sent and queue the email (sent after commit)
    to the client's primary contact, else the client's own address."""
    require(actor, Action.EMAILS_SEND)
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("That client does not exist.")
    address = receipt_address(session, client)
    if address is None:
        raise ValidationFailed("The client has no email address: add a primary contact with one.")
    document = statement_pdf(session, actor=actor, client_id=client.id, date_from=date_from,
                             date_to=date_to)
    kept = sent_document_keep(session, kind=DocumentKind.STATEMENT, content=document.content,
                              filename=document.filename, client_id=client.id, actor=actor)
    company = current_company(session)
    statement = statement_of(session, client.id, date_from=date_from, date_to=date_to)
    email = outbox_queue(
        session, template="statement", to_address=address, kind="statement", client_id=client.id,
        attachments=[kept.id], actor=actor,
        context={"client_name": client.name, "company_name": company.name,
                 "period_start": format_date(date_from, "long", locale=company.locale),
                 "period_end": format_date(date_to, "long", locale=company.locale),
                 "amount_due": format_money(statement.closing_balance, statement.currency,
                                            locale=company.locale)})
    audit_record(session, actor=actor, action="statement.send", entity_type="client",
                 entity_id=client.id, details={"outbox_id": email.id, "sent_document_id": kept.id,
                                               "from": date_from.isoformat(),
                                               "to": date_to.isoformat()})
    session.flush()
    return email
