"""The parts every document shares: who issues it, who receives it, its language and look."""

from dataclasses import dataclass, field

from babel import Locale
from sqlmodel import Session, select

from billing_app.documents.formatting import Formatter, document_locale
from billing_app.documents.labels import labels_for
from billing_app.domain.bank_details import grouped_iban
from billing_app.domain.documents import LAYOUTS
from billing_app.models.clients import Address, AddressKind, Client
from billing_app.models.company import Company
from billing_app.services.logo import logo_path


@dataclass(frozen=True)
class Party:
    name: str
    address: list[str]
    tax_id: str | None = None
    contact: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TotalRow:
    """One row of a totals box; `strong` for the totals a reader looks for."""

    label: str
    amount: str
    strong: bool = False


@dataclass(frozen=True)
class Look:
    """How a document reads and looks: its words, number formats, layout and accent colour."""

    language: str
    labels: dict[str, str]
    fmt: Formatter
    layout: str
    accent: str


def look_of(company: Company, client: Client | None) -> Look:
    """The client's own document language wins over the company's."""
    own = client.document_language if client is not None else None
    language = own or company.document_language
    locale = document_locale(language, company.locale)
    layout = company.document_layout if company.document_layout in LAYOUTS else next(iter(LAYOUTS))
    return Look(language, labels_for(language), Formatter(locale), layout, company.accent_color)


def _country(code: str | None, locale: str) -> str | None:
    return Locale.parse(locale).territories.get(code.upper(), code) if code else None


def _address(line1, line2, postal_code, city, country, locale: str, region=None) -> list[str]:
    place = " ".join(part for part in (postal_code, city) if part)
    lines = [line1, line2, place, region, _country(country, locale)]
    return [line for line in lines if line]


def company_party(company: Company, look: Look) -> Party:
    return Party(
        name=company.name,
        address=_address(company.address_line1, company.address_line2, company.postal_code,
                         company.city, company.country, look.fmt.locale),
        tax_id=company.tax_id,
        contact=[value for value in (company.email, company.phone, company.website) if value],
    )


def client_party(session: Session, client: Client, look: Look) -> Party:
    """The client with its billing address (none printed when it has none)."""
    billing = session.exec(select(Address).where(Address.client_id == client.id,
                                                 Address.kind == AddressKind.BILLING)).first()
    address = [] if billing is None else _address(
        billing.line1, billing.line2, billing.postal_code, billing.city, billing.country,
        look.fmt.locale, region=billing.region)
    return Party(name=client.name, address=address, tax_id=client.tax_id)


def logo_url(company: Company) -> str | None:
    """A file: URL the document fetcher will serve (and no other file)."""
    path = logo_path(company)
    return path.as_uri() if path else None


def bank_details(company: Company) -> dict[str, str | None]:
    return {"iban": grouped_iban(company.iban) if company.iban else None, "bic": company.bic,
            "instructions": company.payment_instructions}


def common_context(company: Company, look: Look, *, title: str, client: Party,
                   draft: bool = False) -> dict:
    """What the base template needs, whatever the document."""
    return {
        "lang": look.language, "t": look.labels, "layout": look.layout, "accent": look.accent,
        "title": title, "draft": draft, "company": company_party(company, look),
        "logo_url": logo_url(company), "client": client, "bank": bank_details(company),
        "footer": company.invoice_footer, "due_date": None, "reference": None, "qr": None,
        "creditor_reference": None,
    }
