import json

import pytest

from billing_app.domain.statements import CsvMapping, guess_mapping
from billing_app.errors import ValidationFailed

FULL = CsvMapping(
    date="Datum",
    amount=None,
    credit="Bij",
    debit="Af",
    reference="Omschrijving",
    counterparty_name="Naam",
    counterparty_iban="Tegenrekening",
    bank_reference="Id",
    currency="Munt",
    date_format="%Y%m%d",
    decimal_separator=",",
)


def test_a_mapping_is_saved_as_json_and_read_back():
    text = FULL.to_json()
    assert json.loads(text)["credit"] == "Bij"
    assert CsvMapping.from_json(text) == FULL
    assert CsvMapping.from_json(json.loads(text)) == FULL  # as a JSON column gives it back


@pytest.mark.parametrize(
    "saved",
    [
        '{"date": "Datum"}',
        '{"date": "D", "amount": "A", "colour": "red"}',
        '{"date": "D", "amount": "A", "decimal_separator": ";"}',
        "not json",
    ],
)
def test_a_damaged_saved_mapping_is_refused_plainly(saved):
    with pytest.raises(ValidationFailed, match="The saved column mapping cannot be read"):
        CsvMapping.from_json(saved)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": " ", "amount": "Betrag"}, "Choose the column with the booking date."),
        ({"date": "Datum", "amount": None}, "Choose the amount column, or the credit and debit columns."),
        ({"date": "Datum", "amount": "", "debit": ""}, "Choose the amount column, or the credit and debit columns."),
        ({"date": "Datum", "amount": "Betrag", "credit": "Haben"},
         "Choose either one amount column, or separate credit and debit columns, not both."),
        ({"date": "Datum", "amount": "Betrag", "date_format": "dd.mm.yyyy"},
         'Write the date format like %d.%m.%Y, or choose "auto".'),
    ],
)  # fmt: skip
def test_an_incomplete_mapping_is_refused(fields, message):
    with pytest.raises(ValidationFailed) as refused:
        CsvMapping(**fields)
    assert refused.value.message == message


def test_blank_optional_columns_from_a_form_mean_none():
    assert CsvMapping(date=" Datum ", amount="Betrag", reference="", currency="  ") == CsvMapping(
        date="Datum", amount="Betrag"
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # Sparkasse (CSV-CAMT)
        (["Auftragskonto", "Buchungstag", "Valutadatum", "Buchungstext", "Verwendungszweck", "Glaeubiger ID",
          "Mandatsreferenz", "Kundenreferenz (End-to-End)", "Beguenstigter/Zahlungspflichtiger", "Kontonummer/IBAN",
          "BIC (SWIFT-Code)", "Betrag", "Waehrung", "Info"],
         CsvMapping(date="Buchungstag", amount="Betrag", reference="Verwendungszweck",
                    counterparty_name="Beguenstigter/Zahlungspflichtiger", counterparty_iban="Kontonummer/IBAN",
                    currency="Waehrung")),
        # Rabobank (NL)
        (["IBAN/BBAN", "Munt", "BIC", "Volgnr", "Datum", "Rentedatum", "Bedrag", "Saldo na trn",
          "Tegenrekening IBAN/BBAN", "Naam tegenpartij", "Omschrijving-1", "Omschrijving-2"],
         CsvMapping(date="Datum", amount="Bedrag", reference="Omschrijving-1", counterparty_name="Naam tegenpartij",
                    counterparty_iban="Tegenrekening IBAN/BBAN", currency="Munt")),
        # a French bank
        (["Date opération", "Libellé", "Débit", "Crédit", "Solde"],
         CsvMapping(date="Date opération", amount=None, credit="Crédit", debit="Débit", reference="Libellé")),
        (["Date", "Amount (GBP)", "Name", "IBAN", "Description", "Currency"],
         CsvMapping(date="Date", amount="Amount (GBP)", counterparty_name="Name", counterparty_iban="IBAN",
                    reference="Description", currency="Currency")),
        (["Buchungstag", "Empfänger", "Umsatz in EUR"], None),  # no amount column it knows
        (["Betrag", "Verwendungszweck"], None),  # no date
        (["Date", "Credit", "Balance"], None),  # credits without debits
    ],
)  # fmt: skip
def test_guess_mapping_from_common_bank_headers(headers, expected):
    assert guess_mapping(headers) == expected
