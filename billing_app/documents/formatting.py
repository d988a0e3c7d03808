"""Money, dates and numbers as a document's language writes them (Babel, CLDR data)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from billing_app.documents.labels import DEFAULT_LANGUAGE, LANGUAGES
from billing_app.domain.money import quantize_money

_REGION = {"en": "en_US", "de": "de_DE"}  # the locale of a language the company does not write


def document_locale(language: str, company_locale: str) -> str:
    """The company's locale when it writes the document's language (so en_GB stays en_GB),
    else the language's usual locale (de -> de_DE)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    try:
        company = Locale.parse(company_locale)
    except (ValueError, TypeError, UnknownLocaleError):
        company = None
    if company is not None and company.language == language:
        return str(company)
    return _REGION[language]


@dataclass(frozen=True)
class Formatter:
    locale: str

    def money(self, amount: Decimal, currency: str) -> str:
        return format_currency(quantize_money(amount, currency), currency.upper(),
                               locale=self.locale)

    def date(self, day: date) -> str:
        return format_date(day, format="medium", locale=self.locale)

    def number(self, value: Decimal) -> str:
        """A quantity with the decimals it has: 2.5 rather than 2.5000."""
        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)

    def percent(self, rate: Decimal) -> str:
        """A rate in percent (19 -> "19%", "19 %" in German)."""
        return format_percent(rate.normalize() / 100, locale=self.locale,
                              decimal_quantization=False)
