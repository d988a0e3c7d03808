"""GDPR: export everything about a client, and anonymise a client without breaking the books.

Anonymising replaces the personal data (names, contacts, addresses, emails, phones, tax id,
notes, bank accounts, the client's users) with placeholders and keeps every amount, number,
date and status, so invoices, payments, balances and reports read the same afterwards.
The kept PDFs that were sent stay as they were: they are the issued documents the books must
keep (a legal obligation), and they are not in any table.

The audit log keeps every entry. Entries whose details name the client's personal data get
those values replaced by "[redacted]"; on PostgreSQL the append-only trigger (migration 0018)
lets only this happen, and only while `billing.audit_redaction` is set for the transaction:
the entry's time, actor, action and entity never change, and nothing can be deleted.
Answers the API keeps for Idempotency-Key retries get the same redaction (a retry still gets
the first status and creates nothing twice).
"""

import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, cast, or_, text
from sqlmodel import Session, SQLModel, select

from billing_app.auth.permissions import Action, require
from billing_app.auth.sessions import sessions_revoke_for_user
from billing_app.documents.store import sent_document_read
from billing_app.errors import BillingError, ValidationFailed
from billing_app.models.audit import AuditLog
from billing_app.models.banking import BankStatementLine, ClientBankAccount, GatewayEvent, MatchProposal
from billing_app.models.bulk import BulkJobItem
from billing_app.models.clients import Address, Client, Contact
from billing_app.models.documents import SentDocument
from billing_app.models.invoices import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoiceStatusHistory,
)
from billing_app.models.messaging import EmailOutbox, ReminderSent
from billing_app.models.payments import Payment, PaymentAllocation, Refund, RefundPart
from billing_app.models.reminders import InvoiceFee
from billing_app.models.reversals import ReversalProposal
from billing_app.models.users import User, UserSession
from billing_app.services.clients._common import audit_client, client_for_update, plain
from billing_app.services.idempotency import idempotency_redact_answers
from billing_app.services.users import _revoke_api_tokens

REDACTED = "[redacted]"
MIN_PERSONAL_LENGTH = 4
"""Shorter values (a two-letter code, "Ltd") would redact unrelated text; none of a person's
name, email, phone or tax id is that short in practice."""


class _Records:
    """Every row about one client, read once for the export and for anonymising."""

    def __init__(self, session: Session, client: Client) -> None:
        def rows(model, *where) -> list:
            return list(session.exec(select(model).where(*where).order_by(model.id)).all())

        self.client = client
        self.contacts = rows(Contact, Contact.client_id == client.id)
        self.addresses = rows(Address, Address.client_id == client.id)
        self.bank_accounts = rows(ClientBankAccount, ClientBankAccount.client_id == client.id)
        self.users = rows(User, User.client_id == client.id)
        self.invoices = rows(Invoice, Invoice.client_id == client.id)
        invoice_ids = [invoice.id for invoice in self.invoices]
        self.lines = rows(InvoiceLine, InvoiceLine.invoice_id.in_(invoice_ids))
        self.history = rows(InvoiceStatusHistory, InvoiceStatusHistory.invoice_id.in_(invoice_ids))
        self.fees = rows(InvoiceFee, InvoiceFee.invoice_id.in_(invoice_ids))
        self.credit_notes = rows(CreditNote, CreditNote.client_id == client.id)
        self.credit_note_lines = rows(CreditNoteLine, CreditNoteLine.credit_note_id.in_(
            [note.id for note in self.credit_notes]))
        self.payments = rows(Payment, Payment.client_id == client.id)
        payment_ids = [payment.id for payment in self.payments]
        self.allocations = rows(PaymentAllocation, or_(PaymentAllocation.payment_id.in_(payment_ids),
                                                       PaymentAllocation.invoice_id.in_(invoice_ids)))
        self.refunds = rows(Refund, Refund.client_id == client.id)
        refund_ids = [refund.id for refund in self.refunds]
        self.refund_parts = list(session.exec(select(RefundPart).where(
            RefundPart.refund_id.in_(refund_ids))).all())
        self.reversals = rows(ReversalProposal, or_(ReversalProposal.payment_id.in_(payment_ids),
                                                    ReversalProposal.refund_id.in_(refund_ids)))
        self.reminders = rows(ReminderSent, ReminderSent.invoice_id.in_(invoice_ids))
        self.emails = rows(EmailOutbox, or_(EmailOutbox.client_id == client.id,
                                            EmailOutbox.invoice_id.in_(invoice_ids),
                                            EmailOutbox.payment_id.in_(payment_ids)))
        self.documents = rows(SentDocument, SentDocument.client_id == client.id)
        self.bank_lines = rows(BankStatementLine, BankStatementLine.payment_id.in_(payment_ids))
        self.proposals = rows(MatchProposal, MatchProposal.client_id == client.id)
        self.gateway_events = rows(GatewayEvent, GatewayEvent.payment_id.in_(payment_ids))
        self.bulk_items = rows(BulkJobItem, or_(BulkJobItem.client_id == client.id,
                                                BulkJobItem.invoice_id.in_(invoice_ids)))
        entities = {"client": [client.id], "invoice": invoice_ids, "payment": payment_ids,
                    "credit_note": [note.id for note in self.credit_notes], "refund": refund_ids,
                    "user": [user.id for user in self.users],
                    "email": [email.id for email in self.emails],
                    "sent_document": [document.id for document in self.documents]}
        self.audit = rows(AuditLog, or_(*(
            (AuditLog.entity_type == kind) & AuditLog.entity_id.in_([str(i) for i in ids])
            for kind, ids in entities.items())))

    def personal_values(self) -> set[str]:
        """The personal strings to look for elsewhere (audit details, free text)."""
        values = [self.client.name, self.client.email, self.client.phone, self.client.tax_id,
                  self.client.notes]
        for contact in self.contacts:
            values += [contact.name, contact.email, contact.phone]
        for address in self.addresses:
            values += [address.line1, address.line2]
        for account in self.bank_accounts:
            values += [account.iban, account.holder_name]
        for user in self.users:
            values += [user.name, user.email, user.phone, user.address]
        for entry in self.audit:  # earlier values: a changed phone is still in its diff
            values += _personal_in(entry.details)
        return {value.strip() for value in values
                if value and len(value.strip()) >= MIN_PERSONAL_LENGTH}


PERSONAL_KEYS = frozenset({"name", "email", "phone", "tax_id", "notes", "job_title", "line1",
                           "line2", "address", "iban", "holder_name", "to"})
"""Keys under which audit details of clients, contacts and users hold personal data."""


def _personal_in(details: Any, personal: bool = False) -> list[str]:
    """The strings held under a personal key anywhere in `details` ({"phone": {"old": ...}})."""
    if isinstance(details, dict):
        return [found for key, value in details.items()
                for found in _personal_in(value, personal or key in PERSONAL_KEYS)]
    if isinstance(details, list):
        return [found for item in details for found in _personal_in(item, personal)]
    return [details] if personal and isinstance(details, str) else []


def _plain_row(row: SQLModel, *, leave_out: Iterable[str] = ()) -> dict[str, Any]:
    return {column.key: plain(getattr(row, column.key)) for column in row.__table__.columns
            if column.key not in leave_out}


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _rows(rows: Iterable[SQLModel], **kw) -> list[dict[str, Any]]:
    return [_plain_row(row, **kw) for row in rows]


def client_data_export(session: Session, *, actor: User, client_id: int) -> tuple[str, bytes]:
    """A zip of everything stored about the client: client.json and the PDFs it was sent.

    Returns (file name, zip bytes). The export itself is audited.
    """
    require(actor, Action.CLIENT_PRIVACY)
    client = client_for_update(session, client_id)
    records = _Records(session, client)
    lines_by_invoice: dict[int, list] = {}
    for line in records.lines:
        lines_by_invoice.setdefault(line.invoice_id, []).append(_plain_row(line))
    data = {
        "client": _plain_row(client),
        "contacts": _rows(records.contacts),
        "addresses": _rows(records.addresses),
        "bank_accounts": _rows(records.bank_accounts),
        "users": _rows(records.users, leave_out={"password_hash", "totp_secret", "totp_last_step"}),
        "invoices": [{**_plain_row(invoice), "lines": lines_by_invoice.get(invoice.id, [])}
                     for invoice in records.invoices],
        "invoice_status_history": _rows(records.history),
        "fees": _rows(records.fees),
        "credit_notes": _rows(records.credit_notes),
        "credit_note_lines": _rows(records.credit_note_lines),
        "payments": _rows(records.payments),
        "allocations": _rows(records.allocations),
        "refunds": _rows(records.refunds),
        "refund_parts": _rows(records.refund_parts),
        "reminders": _rows(records.reminders),
        "emails": _rows(records.emails),
        "documents": _rows(records.documents),
        "audit": _rows(records.audit),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document, row in zip(records.documents, data["documents"]):
            try:
                _, content = sent_document_read(session, actor=actor, sent_document_id=document.id)
            except BillingError as error:  # the export still gives everything else
                row["file_problem"] = error.message
                continue
            row["file"] = f"documents/{document.id}-{document.filename}"
            archive.writestr(row["file"], content)
        archive.writestr("client.json", json.dumps(data, indent=2, ensure_ascii=False,
                                                   default=_json_default))
    audit_client(session, actor, "export", client.id,
                 {"documents": len(records.documents), "invoices": len(records.invoices)})
    session.flush()
    return f"client-{client.id}-data.zip", buffer.getvalue()


# --- anonymising ---------------------------------------------------------------------------------

class _Scrubber:
    """Replaces any text that contains one of the personal values."""

    def __init__(self, values: set[str]) -> None:
        self._needles = [value.casefold() for value in values]

    def names_someone(self, value: str) -> bool:
        folded = value.casefold()
        return any(needle in folded for needle in self._needles)

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return REDACTED if self.names_someone(value) else value
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        return value

    def scrub_text_columns(self, session: Session, rows: Iterable[SQLModel]) -> None:
        """Free text (notes, descriptions, references, JSON payloads) that names the client."""
        for row in rows:
            for column in row.__table__.columns:
                value = getattr(row, column.key)
                if value is None or not isinstance(value, (str, list, dict)):
                    continue
                scrubbed = self.scrub(value)
                if scrubbed != value:
                    setattr(row, column.key, scrubbed)
                    session.add(row)


def _anonymise_people(session: Session, records: _Records) -> None:
    client = records.client
    client.name = f"Anonymised client {client.id}"
    client.email = client.phone = client.tax_id = client.notes = None
    session.add(client)
    for number, contact in enumerate(records.contacts, start=1):
        contact.name = f"Anonymised contact {number}"
        contact.email = contact.phone = contact.job_title = None
        session.add(contact)
    for address in records.addresses:  # the country stays: it decided the tax
        address.line1 = "Anonymised"
        address.line2 = address.postal_code = address.city = address.region = None
        session.add(address)
    for account in records.bank_accounts:  # learned for matching only; not part of the books
        session.delete(account)
    for user in records.users:
        user.name = f"Anonymised user {user.id}"
        user.email = f"anonymised-user-{user.id}@example.invalid"
        user.phone = user.address = None
        user.password_hash = "!"  # matches no password
        user.totp_secret = user.totp_enabled_at = None
        user.is_active = False
        session.add(user)
        sessions_revoke_for_user(session, user.id)
        for login in session.exec(select(UserSession).where(UserSession.user_id == user.id)):
            login.ip_address = login.user_agent = None
            session.add(login)
        _revoke_api_tokens(session, user.id)


def _redact_audit(session: Session, records: _Records, scrubber: _Scrubber,
                  values: set[str]) -> int:
    """Redact the details of every audit entry that names the client's people; returns how many.

    Entries about the client's records are checked, and so is any entry whose details contain
    one of the values (a failed sign-in with a user's email has no entity to find it by).
    """
    details = cast(AuditLog.details, Text)
    as_stored = values | {json.dumps(value)[1:-1] for value in values}  # "Müller" as "M\\u00fcller"
    mentions = select(AuditLog).where(or_(*(details.contains(value) for value in as_stored)))
    entries = {entry.id: entry for entry in [*records.audit, *session.exec(mentions)]}
    changed = [entry for entry in entries.values()
               if entry.details and scrubber.scrub(entry.details) != entry.details]
    if not changed:
        return 0
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT set_config('billing.audit_redaction', 'on', true)"))
    for entry in changed:
        entry.details = scrubber.scrub(entry.details)
        session.add(entry)
    session.flush()
    if postgres:
        session.execute(text("SELECT set_config('billing.audit_redaction', 'off', true)"))
    return len(changed)


def client_anonymise(session: Session, *, actor: User, client_id: int, confirm_name: str) -> Client:
    """Replace the client's personal data with placeholders; the books stay as they are.

    `confirm_name` must be the client's current name, typed by the person doing it.
    """
    require(actor, Action.CLIENT_PRIVACY)
    client = client_for_update(session, client_id)
    if " ".join((confirm_name or "").split()) != " ".join(client.name.split()):
        raise ValidationFailed("Type the client's name exactly as shown to confirm.",
                               field="confirm_name")
    records = _Records(session, client)
    values = records.personal_values()
    scrubber = _Scrubber(values)
    _anonymise_people(session, records)
    for email in records.emails:
        email.to_address = f"anonymised-client-{client.id}@example.invalid"
        email.body_text = REDACTED
        email.body_html = None if email.body_html is None else REDACTED
        session.add(email)
    scrubber.scrub_text_columns(session, [
        client, *records.invoices, *records.lines, *records.history, *records.fees,
        *records.credit_notes, *records.credit_note_lines, *records.payments, *records.refunds,
        *records.reversals, *records.emails, *records.bank_lines,
        *records.proposals, *records.gateway_events, *records.bulk_items])
    session.flush()
    redacted = _redact_audit(session, records, scrubber, values) if values else 0
    # Answers kept for Idempotency-Key retries (a created client, its contacts) name people too.
    answers = idempotency_redact_answers(session, mentioning=values, redact=scrubber.scrub)
    audit_client(session, actor, "anonymise", client.id, {
        "contacts": len(records.contacts), "users": [user.id for user in records.users],
        "audit_entries_redacted": redacted, "kept_api_answers_redacted": answers})
    session.flush()
    return client


__all__ = ["client_anonymise", "client_data_export"]
