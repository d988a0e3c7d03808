"""Company settings: who issues the invoices, and the defaults every new invoice starts from."""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.domain.bank_details import normalise_bic, normalise_iban
from billing_app.domain.documents import (
    LANGUAGES,
    LAYOUTS,
    check_language,
    check_layout,
    normalise_accent,
)
from billing_app.domain.numbering import format_number
from billing_app.errors import ValidationFailed
from billing_app.models.company import Company, TaxRounding
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.models.inputs import (
    CountryCode,
    CurrencyCode,
    LocaleCode,
    optional,
    optional_text,
    text,
)
from billing_app.services.records import save_changes, validated_update

NUMBER_LENGTH = Invoice.__table__.c.number.type.length
_SAMPLE_DAY = date(2099, 12, 31)
_LONG_SEQUENCE = 123456  # a sequence past the usual zero padding


def _formatted(pattern: str, day: date, sequence: int) -> str:
    """The number; ValueError with a readable message when the pattern cannot number documents."""
    number = format_number(pattern, sequence=sequence, issue_date=day)
    if "{" in number or "}" in number:
        raise ValueError("Unknown placeholder; use {YYYY}, {YY}, {MM}, {SEQ} or {SEQ:05}.")
    return number


def number_preview(pattern: str, today: date, sequence: int = 1) -> str:
    """The number `sequence` of today's period from the pattern, such as "INV-2026-00001"."""
    try:
        return _formatted(pattern.strip(), today, sequence)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="pattern") from None


def _number_pattern(pattern: str) -> str:
    if len(_formatted(pattern, _SAMPLE_DAY, _LONG_SEQUENCE)) > NUMBER_LENGTH:
        raise ValueError(f"Numbers from this pattern would be longer than {NUMBER_LENGTH} characters.")
    return pattern


NumberPattern = Annotated[str, Field(min_length=1, max_length=100, json_schema_extra={
    # the schema's form is narrower than the rules (any order, {YY}, {MM}) and always fits them
    "pattern": r"^[A-Za-z0-9/_.-]{0,10}\{YYYY\}[A-Za-z0-9/_.-]{0,10}"
               r"\{SEQ(:0[1-9])?\}[A-Za-z0-9/_.-]{0,10}$",
    "examples": ["INV-{YYYY}-{SEQ:05}"]}), AfterValidator(_number_pattern)]
Iban = Annotated[str, AfterValidator(normalise_iban)]
Bic = Annotated[str, AfterValidator(normalise_bic)]


class CompanyUpdate(BaseModel):
    """The settings form. Fields left out keep their current value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: text(200)
    address_line1: optional_text(200) = None
    address_line2: optional_text(200) = None
    postal_code: optional_text(20) = None
    city: optional_text(100) = None
    country: optional(CountryCode) = None
    tax_id: optional_text(50) = None
    email: optional(EmailStr) = None
    phone: optional_text(50) = None
    website: optional_text(200) = None
    default_currency: CurrencyCode
    default_payment_terms_days: int = Field(ge=0, le=365)
    invoice_number_pattern: NumberPattern
    credit_note_number_pattern: NumberPattern
    tax_rounding: TaxRounding
    prices_include_tax: bool
    invoice_footer: optional_text(2000) = None
    default_notes: optional_text(5000) = None
    default_terms: optional_text(5000) = None
    locale: LocaleCode
    document_layout: Annotated[str, AfterValidator(check_layout),
                               Field(json_schema_extra={"enum": list(LAYOUTS)})]
    accent_color: Annotated[str, AfterValidator(normalise_accent),
                            Field(json_schema_extra={"pattern": "^#[0-9a-fA-F]{6}$"})]
    document_language: Annotated[str, AfterValidator(check_language),
                                 Field(json_schema_extra={"enum": list(LANGUAGES)})]
    iban: optional(Iban) = None
    bic: optional(Bic) = None
    payment_instructions: optional_text(1000) = None
    require_admin_two_factor: bool


def _check_patterns_apart(payload: CompanyUpdate) -> None:
    """Invoices and credit notes must never share a number."""
    for sequence in (1, _LONG_SEQUENCE):
        if _formatted(payload.invoice_number_pattern, _SAMPLE_DAY, sequence) == _formatted(
            payload.credit_note_number_pattern, _SAMPLE_DAY, sequence
        ):
            raise ValidationFailed(
                "Credit notes need a number pattern that differs from the invoices', "
                "such as CN-{YYYY}-{SEQ:05}.",
                field="credit_note_number_pattern",
            )


def company_update(session: Session, *, actor: User, data: dict) -> Company:
    """Change the settings given in `data`; the audit keeps the old and new value of each change."""
    require(actor, Action.SETTINGS_MANAGE)
    company = current_company(session)
    payload = validated_update(CompanyUpdate, company, data)
    _check_patterns_apart(payload)
    save_changes(session, actor=actor, row=company, payload=payload, entity_type="company")
    return company
