"""Sending an invoice and marking it as sent, on the rolled-back `db` (no worker): what is
written to the outbox, and the status that tells the truth (issued until delivered)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from billing_app.documents import sent_document_read
from billing_app.errors import Conflict, PermissionDenied, ValidationFailed
from billing_app.models.audit import AuditLog
from billing_app.models.base import utcnow
from billing_app.models.invoices import Invoice, InvoiceStatusHistory
from billing_app.models.messaging import EmailAttachment, EmailOutbox
from billing_app.services.emails import (
    email_claim,
    email_failure_record,
    email_retry,
    email_sent_record,
)
from billing_app.services.invoices import invoice_cancel, invoice_issue
from billing_app.services.invoices.sending import (
    NUMBER_PENDING,
    invoice_email_draft,
    invoice_mark_sent,
    invoice_send,
)
from tests.mail.conftest import ISSUE_DATE, add_draft

TIMEOUT = timedelta(minutes=10)


def send(db, actor, invoice_id, recipients=("ada@fjord.example",), **extra):
    return invoice_send(db, actor=actor, invoice_id=invoice_id, recipients=list(recipients),
                        subject=extra.get("subject", "Your invoice"),
                        message=extra.get("message", "Please find it attached."), today=ISSUE_DATE)


def history(db, invoice_id):
    return db.exec(select(InvoiceStatusHistory.to_status).where(
        InvoiceStatusHistory.invoice_id == invoice_id).order_by(InvoiceStatusHistory.id)).all()


def test_the_dialog_starts_with_the_contacts_primary_first_and_the_template(
        db, accountant, customer):
    invoice = add_draft(db, accountant, customer)
    start = invoice_email_draft(db, actor=accountant, invoice_id=invoice.id)

    assert [(r.address, r.primary) for r in start.recipients] == [
        ("ada@fjord.example", True), ("bo@fjord.example", False), ("ap@example.com", False)]
    assert start.subject.startswith(f"Invoice {NUMBER_PENDING} from")  # numbered when sent
    assert customer.name in start.message and "119.00" in start.message


def test_sending_a_draft_issues_it_and_queues_one_email_per_recipient_with_the_kept_pdf(
        db, accountant, customer):
    invoice = add_draft(db, accountant, customer)
    start = invoice_email_draft(db, actor=accountant, invoice_id=invoice.id)
    emails = send(db, accountant, invoice.id, ["ada@fjord.example", "extra@elsewhere.example"],
                  subject=start.subject, message=start.message)

    db.refresh(invoice)
    assert invoice.number and invoice.status == "issued" and invoice.sent_at is None
    assert [e.to_address for e in emails] == ["ada@fjord.example", "extra@elsewhere.example"]
    assert all(e.status == "queued" and e.kind == "invoice" and e.invoice_id == invoice.id
               for e in emails)
    assert emails[0].subject.startswith(f"Invoice {invoice.number} from ")
    assert NUMBER_PENDING not in emails[0].subject + emails[0].body_text
    assert invoice.number in emails[0].body_text
    assert "<p>" in emails[0].body_html  # the template's HTML: the message was not changed
    (document_id,) = {a.sent_document_id for a in db.exec(select(EmailAttachment).where(
        EmailAttachment.email_id.in_([e.id for e in emails])))}
    document, content = sent_document_read(db, actor=accountant, sent_document_id=document_id)
    assert content.startswith(b"%PDF") and document.invoice_id == invoice.id


def test_a_typed_message_becomes_escaped_html(db, accountant, customer):
    invoice = add_draft(db, accountant, customer)
    (email,) = send(db, accountant, invoice.id, message="Hi <team>,\n\nsee attached & pay.")
    assert email.body_html == "<p>Hi &lt;team&gt;,</p>\n<p>see attached &amp; pay.</p>\n"


def test_delivery_makes_it_sent_once_and_a_resend_is_logged(db, accountant, customer):
    invoice = add_draft(db, accountant, customer)
    (first,) = send(db, accountant, invoice.id)
    now = utcnow()
    assert email_claim(db, email_id=first.id, now=now, claim_timeout=TIMEOUT)
    assert email_sent_record(db, email_id=first.id, claimed_at=now, now=now)
    db.refresh(invoice)
    assert (invoice.status, invoice.sent_at) == ("sent", now)
    assert history(db, invoice.id) == ["draft", "issued", "sent"]

    (again,) = send(db, accountant, invoice.id, ["bo@fjord.example"])
    assert email_claim(db, email_id=again.id, now=now, claim_timeout=TIMEOUT)
    assert email_sent_record(db, email_id=again.id, claimed_at=now, now=now + timedelta(hours=1))
    db.refresh(invoice)
    assert invoice.sent_at == now and history(db, invoice.id)[-1] == "sent"
    sends = db.exec(select(AuditLog.details).where(AuditLog.action == "invoice.send",
                                                   AuditLog.entity_id == str(invoice.id))
                    .order_by(AuditLog.id)).all()
    assert [(s["resend"], s["recipients"]) for s in sends] == [
        (False, ["ada@fjord.example"]), (True, ["bo@fjord.example"])]


def test_mark_as_sent_by_hand(db, accountant, customer):
    invoice = invoice_issue(db, actor=accountant, invoice_id=add_draft(db, accountant, customer).id,
                            today=ISSUE_DATE)
    assert invoice.status == "issued"
    invoice_mark_sent(db, actor=accountant, invoice_id=invoice.id)
    assert invoice.status == "sent" and invoice.sent_at is not None
    with pytest.raises(Conflict, match="already sent"):
        invoice_mark_sent(db, actor=accountant, invoice_id=invoice.id)


def test_a_draft_cannot_be_marked_as_sent(db, accountant, customer):
    draft = add_draft(db, accountant, customer)
    with pytest.raises(Conflict, match="draft"):
        invoice_mark_sent(db, actor=accountant, invoice_id=draft.id)


@pytest.mark.parametrize(("recipients", "reason"), [
    ([], "at least one recipient"),
    (["not-an-address"], "not a valid email address"),
    ([f"r{n}@fjord.example" for n in range(11)], "at most 10"),
])
def test_bad_recipients_are_refused_before_anything_happens(db, accountant, customer,
                                                            recipients, reason):
    draft = add_draft(db, accountant, customer)
    with pytest.raises(ValidationFailed, match=reason) as refused:
        send(db, accountant, draft.id, recipients)
    assert refused.value.field == "recipients"
    assert db.get(Invoice, draft.id).status == "draft"


def test_a_viewer_can_neither_send_nor_mark_nor_retry(db, accountant, viewer, customer):
    invoice = add_draft(db, accountant, customer)
    with pytest.raises(PermissionDenied):
        send(db, viewer, invoice.id)
    with pytest.raises(PermissionDenied):
        invoice_email_draft(db, actor=viewer, invoice_id=invoice.id)
    (email,) = send(db, accountant, invoice.id)
    with pytest.raises(PermissionDenied):
        invoice_mark_sent(db, actor=viewer, invoice_id=invoice.id)
    with pytest.raises(PermissionDenied):
        email_retry(db, actor=viewer, email_id=email.id)


def test_claims_backoff_failure_and_retry(db, accountant, customer):
    invoice = add_draft(db, accountant, customer)
    (email,) = send(db, accountant, invoice.id)
    now = utcnow()
    assert email_claim(db, email_id=email.id, now=now, claim_timeout=TIMEOUT)
    assert not email_claim(db, email_id=email.id, now=now, claim_timeout=TIMEOUT)  # taken

    def fail(claimed_at, transient=True):
        return email_failure_record(db, email_id=email.id, claimed_at=claimed_at, now=claimed_at,
                                    error="451 busy", transient=transient, max_attempts=3,
                                    retry_base=timedelta(seconds=10))

    assert fail(now) == now + timedelta(seconds=10)
    assert not email_claim(db, email_id=email.id, now=now, claim_timeout=TIMEOUT)  # not due yet
    later = now + timedelta(seconds=10)
    assert email_claim(db, email_id=email.id, now=later, claim_timeout=TIMEOUT)
    assert fail(later) == later + timedelta(seconds=20)  # twice as long
    last = later + timedelta(seconds=20)
    assert email_claim(db, email_id=email.id, now=last, claim_timeout=TIMEOUT)
    assert fail(last) is None  # third attempt of three: failed
    db.refresh(email)
    assert (email.status, email.attempts, email.last_error) == ("failed", 3, "451 busy")

    email_retry(db, actor=accountant, email_id=email.id)
    db.refresh(email)
    assert (email.status, email.attempts) == ("queued", 0)
    with pytest.raises(Conflict, match="Only a failed email"):
        email_retry(db, actor=accountant, email_id=email.id)


def test_a_permanent_failure_fails_at_once_and_a_stale_claim_is_taken_over(
        db, accountant, customer):
    invoice = add_draft(db, accountant, customer)
    first, second = send(db, accountant, invoice.id, ["ada@fjord.example", "bo@fjord.example"])
    now = utcnow()
    assert email_claim(db, email_id=first.id, now=now, claim_timeout=TIMEOUT)
    assert email_failure_record(db, email_id=first.id, claimed_at=now, now=now,
                                error="550 no such user", transient=False, max_attempts=5,
                                retry_base=timedelta(seconds=1)) is None
    db.refresh(first)
    assert (first.status, first.attempts) == ("failed", 1)

    assert email_claim(db, email_id=second.id, now=now, claim_timeout=TIMEOUT)
    much_later = now + TIMEOUT + timedelta(seconds=1)  # the first worker died
    assert email_claim(db, email_id=second.id, now=much_later, claim_timeout=TIMEOUT)
    assert not email_sent_record(db, email_id=second.id, claimed_at=now, now=much_later)
    assert email_sent_record(db, email_id=second.id, claimed_at=much_later, now=much_later)
    assert db.exec(select(EmailOutbox.attempts).where(EmailOutbox.id == second.id)).one() == 2


def test_an_email_delivered_after_its_invoice_was_cancelled_is_still_recorded_as_sent(
        db, accountant, customer):
    invoice = add_draft(db, accountant, customer)
    (email,) = send(db, accountant, invoice.id)
    invoice_cancel(db, actor=accountant, invoice_id=invoice.id, reason="Ordered twice",
                   today=ISSUE_DATE)
    now = utcnow()
    assert email_claim(db, email_id=email.id, now=now, claim_timeout=TIMEOUT)
    assert email_sent_record(db, email_id=email.id, claimed_at=now, now=now)
    db.refresh(invoice)
    db.refresh(email)
    assert (email.status, invoice.status, invoice.sent_at) == ("sent", "cancelled", None)
