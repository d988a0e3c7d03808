"""The evidence sentences a finance clerk reads beside a proposed match."""

from datetime import date
from decimal import Decimal

from babel import Locale

from billing_app.services.banking.evidence import Findings, Mode, PaidInvoice, sentences


def findings(**changes) -> Findings:
    invoice = PaidInvoice(invoice_id=1, number="INV-2026-00042", balance=Decimal("1190.00"),
                          allocated=Decimal("1190.00"), due_date=date(2026, 3, 15), named=True,
                          cut=False)
    values = dict(amount=Decimal("1190.00"), currency="EUR", booking_date=date(2026, 3, 14),
                  payer_name="Orbit Travel Inc.", payer_iban="DE89370400440532013000",
                  client_name="Orbit Travel Inc.", number=True, iban=False, name=True,
                  mode=Mode.EXACT_ONE, together_with=0, near_due=True, invoices=[invoice],
                  locale=Locale("en", "US"))
    return Findings(**{**values, **changes})


def test_each_kind_of_evidence_is_one_plain_sentence():
    assert sentences(findings()) == [
        "Invoice number INV-2026-00042 is in the payment reference.",
        "The payer's name, Orbit Travel Inc., is the client's name, Orbit Travel Inc.",
        "The amount, €1,190.00, is the balance of INV-2026-00042.",
        "It was booked 1 day before INV-2026-00042 was due.",
    ]


def test_a_part_payment_says_what_stays_open():
    part = PaidInvoice(invoice_id=1, number="INV-2026-00042", balance=Decimal("1190.00"),
                       allocated=Decimal("500.00"), due_date=date(2026, 3, 15), named=True,
                       cut=False)
    said = sentences(findings(amount=Decimal("500.00"), mode=Mode.NAMED, invoices=[part],
                              near_due=False, name=False))
    assert said == ["Invoice number INV-2026-00042 is in the payment reference.",
                    "INV-2026-00042 stays partly open: €690.00 of its €1,190.00 is left to pay."]
