"""Email templates: a default per key in mail/templates/, replaced by an admin's edit (a row
in email_templates). Both render in Jinja's sandbox with StrictUndefined, so an edited
template can neither reach Python internals (`{{ ''.__class__ }}`) nor silently print an
empty placeholder; the HTML body is autoescaped, the subject and text body are not.

A key names one kind of email ("invoice_sent"); a key with a suffix after a colon
("reminder:2") is a variant of its base key: same placeholders, the base's files as default.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlmodel import Session, select

from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.messaging import EmailTemplate
from billing_app.models.reminders import ReminderLevel

TEMPLATE_DIR = Path(__file__).parent / "templates"
PARTS = ("subject", "body_text", "body_html")
_FILE_SUFFIX = {"subject": ".subject.txt", "body_text": ".txt", "body_html": ".html"}

_LINK = "https://billing.example.com/invoices/42"
_INVOICE_SAMPLE = {"client_name": "Müller & Söhne GmbH", "company_name": "Ledgerline Demo Ltd",
                   "invoice_number": "INV-2026-00042", "total": "€1,190.00",
                   "amount_due": "€1,190.00", "due_date": "January 4, 2027", "link": _LINK}


@dataclass(frozen=True)
class TemplateSpec:
    label: str
    placeholders: dict[str, str]  # name -> what it holds, shown next to the editor
    sample: dict[str, Any]  # a context with every placeholder: the preview and the check


_COMMON = {"client_name": "the client's name", "company_name": "your company's name"}
_INVOICE = {**_COMMON, "invoice_number": "the invoice number", "total": "the invoice total",
            "amount_due": "what is left to pay", "due_date": "the due date",
            "link": "a link to the invoice"}

SPECS: dict[str, TemplateSpec] = {
    "invoice_sent": TemplateSpec("Invoice sent (PDF attached)", _INVOICE, _INVOICE_SAMPLE),
    "credit_note": TemplateSpec(
        "Credit note", {**_INVOICE, "credit_note_number": "the credit note number",
                        "amount": "the amount credited"},
        {**_INVOICE_SAMPLE, "credit_note_number": "CN-2026-00007", "amount": "€190.00",
         "amount_due": "€1,000.00"}),
    "payment_receipt": TemplateSpec(
        "Payment receipt", {**_COMMON, "amount": "the amount paid", "payment_date": "its date",
                            "reference": "its reference (may be empty)",
                            "allocations": "the invoices it paid: number, amount, balance_left",
                            "credit": "what is kept as credit (may be empty)"},
        {"client_name": "Müller & Söhne GmbH", "company_name": "Ledgerline Demo Ltd",
         "amount": "€1,190.00", "payment_date": "December 5, 2026", "reference": "INV-2026-00042",
         "allocations": [{"number": "INV-2026-00042", "amount": "€1,190.00", "balance_left": None}],
         "credit": None}),
    "reminder": TemplateSpec(
        "Payment reminder", {**_INVOICE, "days_overdue": "days past the due date (0 or less: not yet due)",
                             "late_fee": "the late fee charged at this level (may be empty)"},
        {**_INVOICE_SAMPLE, "days_overdue": 14, "late_fee": "€5.00"}),
    "statement": TemplateSpec(
        "Account statement", {**_COMMON, "period_start": "first day of the statement",
                              "period_end": "its last day", "amount_due": "the closing balance"},
        {"client_name": "Müller & Söhne GmbH", "company_name": "Ledgerline Demo Ltd",
         "period_start": "November 1, 2026", "period_end": "November 30, 2026",
         "amount_due": "€2,380.00"}),
    "password_reset": TemplateSpec(
        "Password reset", {"user_name": "the user's name", "company_name": "your company's name",
                           "link": "the reset link",
                           "valid_minutes": "how many minutes the link works"},
        {"user_name": "Alex Example", "company_name": "Ledgerline Demo Ltd",
         "link": "https://billing.example.com/reset-password?token=abc",
         "valid_minutes": 30}),
}


@dataclass(frozen=True)
class TemplateSource:
    subject: str
    body_text: str
    body_html: str
    edited: bool  # an admin's row, not the file default


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def template_keys(session: Session) -> list[tuple[str, str]]:
    """(key, label) of every template an admin can edit: the kinds of email, and the variants
    that reminder levels name or that were edited before."""
    variants = set(session.exec(select(EmailTemplate.key)).all())
    variants |= set(session.exec(select(ReminderLevel.template_key)).all())
    return [(key, spec.label) for key, spec in SPECS.items()] + [
        (key, f"{SPECS[key.split(':', 1)[0]].label} ({key.split(':', 1)[1]})")
        for key in sorted(variants) if key not in SPECS and key.split(":", 1)[0] in SPECS]


def template_spec(key: str) -> TemplateSpec:
    try:
        return SPECS[key.split(":", 1)[0]]
    except KeyError:
        raise NotFound(f"There is no email template {key!r}.", field="key") from None


@lru_cache(maxsize=None)
def template_default(key: str) -> TemplateSource:
    """The file default of a key (of its base key for a variant)."""
    template_spec(key)
    base = key.split(":", 1)[0]
    parts = {part: (TEMPLATE_DIR / f"{base}{suffix}").read_text(encoding="utf-8")
             for part, suffix in _FILE_SUFFIX.items()}
    return TemplateSource(**parts, edited=False)


def template_source(session: Session, key: str) -> TemplateSource:
    """What renders for `key` now: the admin's edit if there is one, else the default."""
    row = session.exec(select(EmailTemplate).where(EmailTemplate.key == key)).first()
    if row is None:
        return template_default(key)
    return TemplateSource(subject=row.subject, body_text=row.body_text, body_html=row.body_html,
                          edited=True)


_ENVIRONMENTS = {
    html: SandboxedEnvironment(undefined=StrictUndefined, autoescape=html,
                               keep_trailing_newline=True)
    for html in (False, True)
}


@lru_cache(maxsize=256)
def _compiled(source: str, html: bool) -> Template:
    return _ENVIRONMENTS[html].from_string(source)


def _render_part(source: TemplateSource, part: str, context: dict[str, Any]) -> str:
    """Render one part; a broken template raises ValidationFailed naming the part."""
    try:
        return _compiled(getattr(source, part), part == "body_html").render(context)
    except TemplateError as error:  # syntax, undefined placeholder, sandbox refusal
        line = f" (line {error.lineno})" if getattr(error, "lineno", None) else ""
        raise ValidationFailed(f"This template does not render{line}: {error.message or error}",
                               field=part) from None
    except Exception as error:  # noqa: BLE001 - e.g. 1/0, a sandboxed range too big
        raise ValidationFailed(f"This template does not render: {error}", field=part) from None


def template_render(source: TemplateSource, context: dict[str, Any]) -> RenderedEmail:
    subject = " ".join(_render_part(source, "subject", context).split())
    return RenderedEmail(subject=subject, text=_render_part(source, "body_text", context),
                         html=_render_part(source, "body_html", context))


def template_check(key: str, source: TemplateSource) -> RenderedEmail:
    """Render with the key's sample context: what the preview shows, and the proof a template
    is fit to save (every placeholder it uses exists, nothing forbidden is touched)."""
    rendered = template_render(source, template_spec(key).sample)
    if not rendered.subject:
        raise ValidationFailed("The subject must not be empty.", field="subject")
    return rendered


def email_render(session: Session, key: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) of the email `key` for `context`, from the current template."""
    rendered = template_render(template_source(session, key), context)
    return rendered.subject, rendered.text, rendered.html
