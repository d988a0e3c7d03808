"""Email in the browser, with a real Celery worker on Redis and aiosmtpd: an accountant sends a
draft invoice from its page and the SMTP server receives it with the PDF attached; an admin
edits a template with a live preview and a broken one is refused; a viewer reads but cannot
send, also by a crafted websocket call."""

import io
import json
import re
import time
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import func
from sqlmodel import Session, delete, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.clients import Client, Contact
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox, EmailTemplate
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.ui.states.invoice_email import InvoiceEmailState
from tests.browser.conftest import sign_in
from tests.support.smtp import pdf_attachments
from tests.support.websocket import send_events, session_cookie

DUE_IN = timedelta(days=3650)  # due long after the app's today: the status is never overdue


def _invoice(live_engine, *, issue: bool) -> tuple[int, str]:
    """(invoice id, primary contact's address) of a new client's invoice of 119.00."""
    address = f"payables-{uuid.uuid4().hex[:8]}@example.com"
    with Session(live_engine) as db:
        # the demo's last day: other tests read the demo's date range, so stay within it
        issue_date = db.exec(select(func.max(Invoice.issue_date))).one()
        client = Client(name=f"Mail Test {uuid.uuid4().hex[:6]}", payment_terms_days=14)
        db.add(client)
        db.flush()
        db.add(Contact(client_id=client.id, name="Payables", email=address, is_primary=True))
        draft = invoice_create_draft(db, actor=SYSTEM_ACTOR, data={
            "client_id": client.id, "issue_date": issue_date, "due_date": issue_date + DUE_IN,
            "lines": [{"description": "Harbour survey", "quantity": "1", "unit_price": "119.00"}]})
        if issue:
            invoice_issue(db, actor=SYSTEM_ACTOR, invoice_id=draft.id, today=issue_date)
        db.commit()
        return draft.id, address


def _received(smtp_server, address: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := smtp_server.to(address):
            return found
        time.sleep(0.3)
    raise AssertionError(f"no mail to {address} arrived")


def test_an_accountant_sends_a_draft_and_it_arrives_with_its_pdf(page, live_engine, live_worker,
                                                                 smtp_server):
    invoice_id, address = _invoice(live_engine, issue=False)
    copy_to = f"copy-{uuid.uuid4().hex[:8]}@example.com"
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/invoices/{invoice_id}")
    expect(page.get_by_role("heading", name="Emails")).to_be_visible()
    expect(page.get_by_text("No email was sent for this invoice yet.")).to_be_visible()

    page.get_by_role("button", name="Send invoice").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label(address)).to_be_checked()
    expect(dialog.get_by_label("Subject")).to_have_value(
        re.compile(r"^Invoice \[invoice number\] from "))
    expect(dialog.get_by_label("Message")).to_have_value(re.compile(r"119\.00"))
    dialog.get_by_label("Other addresses").fill("not-an-address")
    dialog.get_by_role("button", name="Send invoice").click()
    expect(dialog.get_by_text("'not-an-address' is not a valid email address.")).to_be_visible()
    dialog.get_by_label("Other addresses").fill(copy_to)
    dialog.get_by_role("button", name="Send invoice").click()
    expect(page.get_by_text("Invoice queued for sending: 2 emails.")).to_be_visible()

    (message,) = _received(smtp_server, address)
    with Session(live_engine) as db:
        number = db.get(Invoice, invoice_id).number
    assert message["Subject"].startswith(f"Invoice {number} from ")
    ((filename, content),) = pdf_attachments(message)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert number in text and "119.00" in text and filename.endswith(".pdf")
    assert len(_received(smtp_server, copy_to)) == 1

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the worker marks it after the server accepted it
        with Session(live_engine) as db:
            if db.get(Invoice, invoice_id).status == "sent":
                break
        time.sleep(0.3)
    page.reload()
    rows = page.get_by_role("row").filter(has_text=address)
    expect(rows).to_contain_text("Sent")
    expect(page.get_by_role("button", name="Mark as sent")).to_have_count(0)
    with Session(live_engine) as db:
        assert db.get(Invoice, invoice_id).status == "sent"


@pytest.fixture
def edited_template(live_engine):
    yield "invoice_sent"
    with Session(live_engine) as db:
        db.exec(delete(EmailTemplate).where(EmailTemplate.key == "invoice_sent"))
        db.commit()


def _stored_subject(live_engine) -> str | None:
    with Session(live_engine) as db:
        return db.exec(select(EmailTemplate.subject)
                       .where(EmailTemplate.key == "invoice_sent")).first()


def test_an_admin_edits_a_template_with_a_live_preview(page, live_engine, edited_template):
    sign_in(page, "admin@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/admin/settings")
    page.get_by_role("tab", name="Email templates").click()
    expect(page.get_by_label("Template", exact=True)).to_have_value("invoice_sent")

    page.get_by_label("Subject", exact=True).fill("Rechnung {{ invoice_number }} für {{ client_name }}")
    expect(page.get_by_label("Preview subject")).to_contain_text(
        "Rechnung INV-2026-00042 für Müller & Söhne GmbH")
    body = page.get_by_label("Text body", exact=True)
    body.fill("Hallo {{ client_nam }}")
    expect(page.get_by_text("'client_nam' is undefined")).to_be_visible()
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("The template was not saved")).to_be_visible()
    assert _stored_subject(live_engine) is None

    body.fill("Hallo {{ client_name }}, {{ ''.__class__ }}")
    expect(page.get_by_text(re.compile("unsafe"))).to_be_visible()
    body.fill("Hallo {{ client_name }}, anbei die Rechnung.")
    expect(page.get_by_label("Preview of the text body")).to_contain_text(
        "Hallo Müller & Söhne GmbH, anbei die Rechnung.")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("Email template saved.")).to_be_visible()
    assert _stored_subject(live_engine) == "Rechnung {{ invoice_number }} für {{ client_name }}"
    expect(page.get_by_role("button", name="Go back to the default")).to_be_visible()


def _failed_email(live_engine, subject: str, error: str) -> str:
    """The address of a new email that failed with `error`."""
    address = f"failed-{uuid.uuid4().hex[:8]}@example.com"
    with Session(live_engine) as db:
        db.add(EmailOutbox(to_address=address, subject=subject, body_text="x\n", kind="test",
                           status="failed", attempts=1, last_error=error))
        db.commit()
    return address


def _failed_row(page, address: str):
    """Its row in the email log, filtered to failed emails."""
    page.goto("/emails")
    page.get_by_label("Status").select_option("failed")
    return page.get_by_role("row").filter(has_text=address)


def test_a_viewer_reads_the_emails_but_cannot_send_even_by_a_crafted_call(page, live_app,
                                                                          live_engine):
    invoice_id, _ = _invoice(live_engine, issue=True)
    bounced = _failed_email(live_engine, "Bounced", "550 No such user")
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/invoices/{invoice_id}")
    expect(page.get_by_role("heading", name="Emails")).to_be_visible()
    expect(page.get_by_role("button", name="Send invoice")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark as sent")).to_have_count(0)
    row = _failed_row(page, bounced)
    expect(row).to_contain_text("550 No such user")
    expect(row.get_by_role("button", name=re.compile("^View"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Retry"))).to_have_count(0)

    answers = send_events(live_app.url, session_cookie(live_app.url, "viewer@example.com"), [
        ("open_send", {}),
        ("send", {"form": {"send-extra": "attacker@example.com", "send-subject": "Hi",
                           "send-message": "Pay here"}}),
        ("mark_sent", {}),
    ], state=InvoiceEmailState, pathname=f"/invoices/{invoice_id}")

    assert json.dumps(answers).count("You are not allowed to do this.") == 3
    with Session(live_engine) as db:
        assert db.exec(select(EmailOutbox).where(EmailOutbox.invoice_id == invoice_id)).all() == []
        assert db.get(Invoice, invoice_id).status == "issued"


def test_an_accountant_retries_a_failed_email_from_the_log(page, live_engine, live_worker,
                                                          smtp_server):
    bounced = _failed_email(live_engine, "Second try", "451 Try later")
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _failed_row(page, bounced).get_by_role("button", name=re.compile("^Retry")).click()
    expect(page.get_by_text("The email is queued again.")).to_be_visible()

    assert [m["Subject"] for m in _received(smtp_server, bounced)] == ["Second try"]
