"""Delivery by a real Celery worker on Redis to a real aiosmtpd server on loopback."""

import io
import time
import uuid
from datetime import timedelta

import pytest
from pypdf import PdfReader

from billing_app.db import session_scope
from billing_app.mail.dispatch import email_send_now
from billing_app.mail.outbox import outbox_add
from billing_app.models.base import utcnow
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox
from billing_app.services.invoices.sending import invoice_send
from billing_app.services.payments import payment_record
from billing_app.settings import get_settings
from billing_app.tasks.celery_app import celery_app, make_celery
from tests.mail.conftest import ISSUE_DATE, add_customer, add_draft
from tests.support.smtp import pdf_attachments

pytestmark = pytest.mark.slow


@pytest.fixture
def stack(mail_stack, smtp_server):
    smtp_server.clear()
    yield mail_stack
    smtp_server.clear()
    if smtp_server._controller is None:
        smtp_server.start()


def address() -> str:
    return f"to-{uuid.uuid4().hex[:10]}@fjord.example"


def queue_email(to: str, **row) -> int:
    """A committed outbox email; its send task is queued after commit."""
    with session_scope() as session:
        return outbox_add(session, to_address=to, subject="Hello", body_text="Hi there\n",
                          body_html="<p>Hi there</p>", kind="test", **row).id


def email_row(email_id: int) -> EmailOutbox:
    with session_scope() as session:
        return session.get(EmailOutbox, email_id)


def wait_until(check, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("the condition never held")


def test_a_sent_invoice_arrives_with_its_pdf_and_becomes_sent(stack, smtp_server):
    to = address()
    with session_scope() as session:
        client = add_customer(session, ("Ada Primary", to, True))
        draft = add_draft(session, stack.accountant, client, unit_price="119.00")
        (email,) = invoice_send(session, actor=stack.accountant, invoice_id=draft.id,
                                recipients=[to], subject="Your invoice", message="Attached.",
                                today=ISSUE_DATE)
        invoice_id, email_id = draft.id, email.id

    (message,) = smtp_server.wait_for(1)
    with session_scope() as session:
        number = session.get(Invoice, invoice_id).number
    assert message["To"] == to and message["Subject"] == "Your invoice"
    assert message["From"] == get_settings().mail_from
    assert message.get_body(("plain",)).get_content().strip() == "Attached."
    ((filename, content),) = pdf_attachments(message)
    assert filename.endswith(".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert number in text and "119.00" in text
    row = wait_until(lambda: (r := email_row(email_id)).status == "sent" and r)
    assert row.attempts == 1 and row.sent_at is not None and row.last_error is None
    with session_scope() as session:  # written with the email's outcome, in one transaction
        invoice = session.get(Invoice, invoice_id)
        assert (invoice.status, invoice.sent_at) == ("sent", row.sent_at)


def test_many_tasks_for_one_email_send_it_once(stack, smtp_server):
    to = address()
    email_id = queue_email(to)
    email_send_now([email_id] * 5)  # racing the task queued after commit, on two processes

    smtp_server.wait_for(1)
    time.sleep(3)  # time for any duplicate to arrive
    assert len(smtp_server.to(to)) == 1
    assert email_row(email_id).attempts == 1


def test_a_server_that_is_down_is_tried_again_with_backoff_until_it_is_up(stack, smtp_server):
    smtp_server.stop()
    email_id = queue_email(address())
    waiting = wait_until(lambda: (r := email_row(email_id)).attempts >= 1
                         and r.status == "queued" and r)
    assert "Could not reach the mail server" in waiting.last_error
    assert waiting.next_attempt_at > waiting.claimed_at

    smtp_server.start()
    smtp_server.wait_for(1)
    row = wait_until(lambda: (r := email_row(email_id)).status == "sent" and r)
    assert row.attempts >= 2


def test_a_4xx_reply_is_retried_and_a_5xx_reply_fails_at_once(stack, smtp_server):
    smtp_server.refusal = "451 4.3.0 Mailbox busy, try later"
    busy = queue_email(address())
    waiting = wait_until(lambda: (r := email_row(busy)).attempts >= 1 and r.status == "queued" and r)
    assert "451" in waiting.last_error
    smtp_server.refusal = "550 5.1.1 No such user here"
    refused = queue_email(address())
    failed = wait_until(lambda: (r := email_row(refused)).status == "failed" and r)
    assert failed.attempts == 1 and "550 5.1.1 No such user here" in failed.last_error

    smtp_server.refusal = None
    wait_until(lambda: email_row(busy).status == "sent")
    assert email_row(refused).status == "failed"


def test_the_sweep_sends_an_email_no_task_was_queued_for(stack, smtp_server):
    to = address()
    with session_scope() as session:  # as if the broker had been down at commit
        email = EmailOutbox(to_address=to, subject="Swept", body_text="late\n", kind="test",
                            created_at=utcnow() - timedelta(minutes=5))
        session.add(email)
        session.flush()
        email_id = email.id

    client = make_celery(get_settings())
    try:
        assert client.send_task("mail.sweep_outbox").get(timeout=60) >= 1
    finally:
        client.close()
        celery_app.set_current()
    assert [m["Subject"] for m in wait_until(lambda: smtp_server.to(to))] == ["Swept"]
    wait_until(lambda: email_row(email_id).status == "sent")


def test_a_payment_receipt_is_sent_to_the_primary_contact(stack, smtp_server):
    to = address()
    with session_scope() as session:
        client = add_customer(session, ("Pay Primary", to, True))
        payment_record(session, actor=stack.accountant, today=ISSUE_DATE, data={
            "client_id": client.id, "payment_date": ISSUE_DATE, "amount": "50.00"})

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == to and "Payment received" in message["Subject"]


def test_the_sweep_runs_every_minute():
    schedule = celery_app.conf.beat_schedule["sweep-email-outbox"]
    assert schedule["task"] == "mail.sweep_outbox"
    assert schedule["schedule"].minute == set(range(60))
