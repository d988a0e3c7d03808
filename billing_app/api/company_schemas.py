"""Request and response shapes of /company."""

from datetime import datetime

from billing_app.api.shapes import partial
from billing_app.models.company import TaxRounding
from billing_app.queries.company import CompanyPublic
from billing_app.services.company import CompanyUpdate

CompanyPatch = partial(
    CompanyUpdate,
    credit_note_number_pattern={"description": (
        "Must give numbers other than invoice_number_pattern's, such as CN-{YYYY}-{SEQ:05} next "
        "to INV-{YYYY}-{SEQ:05}: invoices and credit notes never share a number.")},
    bic={"pattern": "^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$",
         "description": "8 or 11 letters and digits, such as COBADEFFXXX."},
)


class CompanySettingsOut(CompanyPublic):
    """The public face, and what only admins see."""

    tax_id: str | None
    email: str | None
    phone: str | None
    website: str | None
    default_currency: str
    default_payment_terms_days: int
    invoice_number_pattern: str
    credit_note_number_pattern: str
    tax_rounding: TaxRounding
    prices_include_tax: bool
    invoice_footer: str | None
    default_notes: str | None
    default_terms: str | None
    locale: str
    document_layout: str
    accent_color: str
    document_language: str
    iban: str | None
    bic: str | None
    payment_instructions: str | None
    updated_at: datetime
