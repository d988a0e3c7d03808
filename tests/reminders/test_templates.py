"""An admin's edit of a level's email template is what the next reminder says."""

from datetime import timedelta

import pytest

from billing_app.errors import ValidationFailed
from billing_app.mail.templates_store import template_keys
from billing_app.services.email_templates import email_template_save
from billing_app.services.reminders import reminder_send
from tests.reminders.conftest import DUE


def test_the_next_reminder_uses_the_edited_template(db, levels, issued, admin, customer):
    first, second = issued(), issued()
    reminder_send(db, invoice_id=first.id, today=DUE + timedelta(days=7))
    email_template_save(
        db, actor=admin, key="reminder:first",
        subject="Second notice for {{ invoice_number }}",
        body_text="Hello {{ client_name }}, {{ amount_due }} was due on {{ due_date }}.",
        body_html="<p>Hello {{ client_name }}, {{ amount_due }} is open.</p>")

    email = reminder_send(db, invoice_id=second.id, today=DUE + timedelta(days=7))

    assert email.subject == f"Second notice for {second.number}"
    assert email.body_text == f"Hello {customer.name}, €100.00 was due on March 17, 2031."
    assert email.body_html == f"<p>Hello {customer.name}, €100.00 is open.</p>"
    # the other levels keep the default text
    other = reminder_send(db, invoice_id=first.id, today=DUE + timedelta(days=14))
    assert other.subject.startswith("Reminder: invoice")


def test_each_level_template_is_offered_and_a_broken_edit_is_refused(db, levels, admin):
    keys = dict(template_keys(db))
    assert {"reminder:first", "reminder:second", "reminder:final"} <= set(keys)
    with pytest.raises(ValidationFailed, match="does not render"):
        email_template_save(db, actor=admin, key="reminder:final", subject="{{ nope }}",
                            body_text="x", body_html="x")
