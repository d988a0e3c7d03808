"""Email templates: file defaults, an admin's edits, the sandbox, and refusing a broken one."""

import pytest
from sqlmodel import select

from billing_app.errors import NotFound, PermissionDenied, ValidationFailed
from billing_app.mail.templates_store import SPECS, email_render, template_default
from billing_app.models.audit import AuditLog
from billing_app.models.messaging import EmailTemplate
from billing_app.services.email_templates import (
    email_template_preview,
    email_template_reset,
    email_template_save,
)

GOOD = {"subject": "Invoice {{ invoice_number }} ({{ amount_due }})",
        "body_text": "Hello {{ client_name }}, pay by {{ due_date }}: {{ link }}",
        "body_html": "<p>Hello {{ client_name }}</p>"}
CONTEXT = {**SPECS["invoice_sent"].sample, "client_name": "<b>Bold & Co</b>"}


@pytest.mark.parametrize("key", sorted(SPECS))
def test_every_default_renders_with_its_placeholders(db, key):
    subject, text, html = email_render(db, key, SPECS[key].sample)
    assert subject and "\n" not in subject
    assert text.strip() and html.strip()
    assert "{{" not in text + html


def test_a_variant_key_starts_from_its_base_default(db):
    assert template_default("reminder:2") == template_default("reminder")
    with pytest.raises(NotFound):
        template_default("no_such_template")


def test_an_edit_replaces_the_default_and_reset_brings_it_back(db, admin):
    email_template_save(db, actor=admin, key="invoice_sent", **GOOD)
    subject, text, html = email_render(db, "invoice_sent", CONTEXT)

    assert subject == "Invoice INV-2026-00042 (€1,190.00)"
    assert text.startswith("Hello <b>Bold & Co</b>, pay by")  # plain text is not escaped
    assert html == "<p>Hello &lt;b&gt;Bold &amp; Co&lt;/b&gt;</p>"  # HTML is autoescaped
    assert db.exec(select(AuditLog).where(AuditLog.action == "email_template.save")).first()

    email_template_reset(db, actor=admin, key="invoice_sent")
    assert email_render(db, "invoice_sent", CONTEXT)[0] == "Invoice INV-2026-00042 from Ledgerline Demo Ltd"


def test_a_variant_is_edited_on_its_own(db, admin):
    email_template_save(db, actor=admin, key="reminder:3", subject="Last call {{ invoice_number }}",
                        body_text="{{ days_overdue }} days late", body_html="<p>late</p>")
    sample = SPECS["reminder"].sample
    assert email_render(db, "reminder:3", sample)[0] == "Last call INV-2026-00042"
    assert email_render(db, "reminder", sample)[0].startswith("Reminder: invoice INV-2026-00042")


@pytest.mark.parametrize(("part", "source", "reason"), [
    ("subject", "Invoice {{ invoice_number", "unexpected end of template"),
    ("body_text", "Dear {{ client_nam }}", "'client_nam' is undefined"),
    ("body_html", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "__class__"),
    ("body_text", "{{ link.__class__ }}", "unsafe"),
    ("body_html", "{% for x in range(10**9) %}{% endfor %}", "Range too big"),
    ("subject", "   ", "subject must not be empty"),
])
def test_a_broken_or_unsafe_template_is_refused_with_the_reason_and_not_saved(
        db, admin, part, source, reason):
    with pytest.raises(ValidationFailed, match=reason) as refused:
        email_template_save(db, actor=admin, key="invoice_sent", **{**GOOD, part: source})

    assert refused.value.field == part
    assert db.exec(select(EmailTemplate).where(EmailTemplate.key == "invoice_sent")).first() is None


def test_the_preview_renders_the_sample_and_knows_each_templates_placeholders(admin):
    preview = email_template_preview(actor=admin, key="invoice_sent", **GOOD)
    assert preview.text.startswith("Hello Müller & Söhne GmbH")
    with pytest.raises(ValidationFailed, match="'invoice_number' is undefined"):
        email_template_preview(actor=admin, key="payment_receipt", **GOOD)  # no invoice there


def test_only_an_admin_edits_templates(db, accountant, viewer):
    for user in (accountant, viewer):
        with pytest.raises(PermissionDenied):
            email_template_save(db, actor=user, key="invoice_sent", **GOOD)
        with pytest.raises(PermissionDenied):
            email_template_preview(actor=user, key="invoice_sent", **GOOD)
