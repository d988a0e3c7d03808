"""Which column of a bank's CSV export holds what, saved per bank, and a first guess at it."""

import re
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ConfigDict, TypeAdapter, ValidationError, ValidationInfo, field_validator
from pydantic.dataclasses import dataclass

from billing_app.errors import ValidationFailed

COLUMN_FIELDS = (
    "date", "amount", "credit", "debit", "direction", "reference",
    "counterparty_name", "counterparty_iban", "bank_reference", "currency",
)  # fmt: skip


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class CsvMapping:
    """Header names of the columns; amount, or credit and debit, for the money. With a
    direction column the amount is unsigned and that column says money in or out."""

    date: str
    amount: str | None
    credit: str | None = None
    debit: str | None = None
    direction: str | None = None  # "Af"/"Bij", "D"/"C", "Debit"/"Credit", "DBIT"/"CRDT"
    reference: str | None = None
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    bank_reference: str | None = None
    currency: str | None = None  # when None, parse_csv's default_currency
    date_format: str = "auto"  # or a strptime format such as "%d.%m.%Y"
    decimal_separator: Literal["auto", ".", ","] = "auto"

    @field_validator(*COLUMN_FIELDS, mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any, info: ValidationInfo) -> Any:
        """A form sends "" for "no column"; the date column is required, so it stays a string."""
        if not isinstance(value, str):
            return value
        stripped = value.strip()
        return stripped if stripped or info.field_name == "date" else None

    def __post_init__(self) -> None:
        if not self.date:
            raise ValidationFailed("Choose the column with the booking date.", field="date")
        if self.amount and (self.credit or self.debit):
            raise ValidationFailed(
                "Choose either one amount column, or separate credit and debit columns, not both.",
                field="amount",
            )
        if not (self.amount or self.credit or self.debit):
            raise ValidationFailed("Choose the amount column, or the credit and debit columns.", field="amount")
        if self.direction and not self.amount:
            raise ValidationFailed("A direction column goes with one amount column; choose the amount column.",
                                   field="direction")
        if self.date_format != "auto" and "%" not in self.date_format:
            raise ValidationFailed('Write the date format like %d.%m.%Y, or choose "auto".', field="date_format")

    def to_json(self) -> str:
        return _ADAPTER.dump_json(self).decode()

    @classmethod
    def from_json(cls, saved: str | bytes | Mapping[str, Any]) -> "CsvMapping":
        """From to_json()'s text, or the dict a JSON column gives back."""
        try:
            if isinstance(saved, Mapping):
                return _ADAPTER.validate_python(dict(saved))
            return _ADAPTER.validate_json(saved)
        except ValidationError:
            raise ValidationFailed("The saved column mapping cannot be read; set up the columns again.") from None


_ADAPTER = TypeAdapter(CsvMapping)


def _key(header: str) -> str:
    """One key for Begünstigter/Zahlungspflichtiger and Beguenstigter / Zahlungspflichtiger;
    Betrag (EUR) -> betrag; Libellé -> libelle."""
    text = unicodedata.normalize("NFKD", header.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\(.*?\)", " ", text)
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return " ".join(re.findall(r"[a-z0-9]+", text))


# header names banks use, most telling first (English, German, Dutch, French)
SYNONYMS: dict[str, list[str]] = {
    "date": [
        "Buchungstag", "Buchungsdatum", "Booking date", "Boekdatum", "Transaction date", "Posting date",
        "Date", "Datum", "Date opération", "Date de l'opération", "Date comptable", "Transactiedatum",
        "Buchung",
    ],
    "amount": ["Betrag", "Amount", "Bedrag", "Montant", "Umsatz", "Transaction amount", "Betrag in EUR"],
    "credit": ["Credit", "Credit amount", "Paid in", "Money in", "Haben", "Gutschrift", "Crédit", "Credits"],
    "debit": ["Debit", "Debit amount", "Paid out", "Money out", "Soll", "Belastung", "Débit", "Debits"],
    "counterparty_iban": [
        "IBAN", "Kontonummer/IBAN", "IBAN Zahlungsbeteiligter", "IBAN Auftraggeber", "Tegenrekening",
        "Tegenrekening IBAN/BBAN", "Counterparty IBAN", "Counterparty account", "Gegenkonto",
        "Kontonummer", "IBAN du tiers", "Compte de contrepartie",
    ],
    "counterparty_name": [
        "Beguenstigter/Zahlungspflichtiger", "Auftraggeber/Empfänger", "Auftraggeber / Begünstigter",
        "Zahlungsbeteiligter", "Name Zahlungsbeteiligter", "Auftraggeber", "Empfänger", "Zahlungsempfänger",
        "Naam tegenpartij", "Naam / Omschrijving", "Naam", "Name", "Counterparty", "Counterparty name",
        "Payee", "Payer", "Beneficiary", "Tiers", "Nom", "Nom du tiers",
    ],
    "reference": [
        "Verwendungszweck", "Mededelingen", "Omschrijving", "Omschrijving-1", "Reference",
        "Payment reference", "Description", "Transaction description", "Libellé", "Libellé opération", "Communication",
        "Communications", "Details", "Transaction details", "Memo", "Narrative", "Purpose",
        "Buchungstext",
    ],
    "direction": ["Af Bij", "Bij Af", "Debit/Credit", "Credit/Debit", "D/C", "C/D", "Soll/Haben",
                  "Direction", "Debit/credit indicator", "CdtDbtInd", "Sens"],
    "bank_reference": ["Bank reference", "Transaction ID", "Transaktions-ID", "Buchungsreferenz", "Referentie"],
    "currency": ["Currency", "Währung", "Munt", "Devise", "Monnaie", "Ccy"],
}  # fmt: skip
GUESS_ORDER = ("date", "amount", "credit", "debit", "direction", "counterparty_iban", "counterparty_name", "reference",
               "bank_reference", "currency")  # fmt: skip
SYNONYM_KEYS = {field: [_key(name) for name in names] for field, names in SYNONYMS.items()}


def guess_mapping(headers: list[str]) -> CsvMapping | None:
    """A first mapping from the header names, for the user to check; None without a date and an amount."""
    keys = {header: _key(header) for header in headers}
    found: dict[str, str] = {}
    for field in GUESS_ORDER:
        if (field in ("credit", "debit") and "amount" in found) or (field == "direction" and "amount" not in found):
            continue
        free = [header for header in headers if header not in found.values()]
        found_header = next((h for key in SYNONYM_KEYS[field] for h in free if keys[h] == key), None)
        if found_header is not None:
            found[field] = found_header
    if "date" not in found:
        return None
    if "amount" not in found:
        if not ("credit" in found and "debit" in found):
            return None
        found["amount"] = None
    return CsvMapping(**found)
