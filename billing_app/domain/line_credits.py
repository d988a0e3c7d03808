"""What a credit note by line takes back, worked out with the one totals function.

A note's totals are the invoice's totals over everything credited once this note is issued,
less its totals over what earlier notes credited (both from `compute_totals`, with the
invoice's own discounts, rounding and tax-inclusive setting). The first note is thus exactly
the totals of its own lines, and all notes of an invoice add up to the invoice's totals to the
cent when every line is credited: no note takes a rounding cent twice or leaves one behind.
"""

from dataclasses import dataclass
from decimal import Decimal

from billing_app.domain.totals import (
    AMOUNT,
    DocumentTotals,
    LineInput,
    LineTotals,
    TaxLine,
    compute_totals,
)


@dataclass(frozen=True)
class CreditedLine:
    invoiced: LineInput  # the invoice line as issued
    before: Decimal = Decimal(0)  # quantity credited by earlier notes
    now: Decimal = Decimal(0)  # quantity this note credits


def _at(line: LineInput, quantity: Decimal) -> LineInput:
    """The invoice line at `quantity`; an amount discount shrinks in proportion."""
    discount = line.discount_value
    if line.discount_type == AMOUNT and discount and quantity != line.quantity:
        discount = discount * quantity / line.quantity
    return LineInput(quantity, line.unit_price, line.discount_type, discount, line.tax_rates)


def _entered(totals: DocumentTotals) -> list[Decimal]:
    return [line.gross - line.discount for line in totals.lines]


def line_credit_totals(lines: list[CreditedLine], *, currency: str, discount_type: str | None,
                       discount_value: Decimal | None, tax_rounding: str,
                       prices_include_tax: bool) -> DocumentTotals:
    """This note's totals: per line (its share of each line's net and tax), per rate and in
    all. `lines` are all lines of the invoice, in order. Raises ValueError like compute_totals."""
    options = {"currency": currency, "tax_rounding": tax_rounding,
               "prices_include_tax": prices_include_tax}
    full = compute_totals([line.invoiced for line in lines], **options)
    full_entered = _entered(full)

    def totals(quantities: list[Decimal]) -> DocumentTotals:
        invoice_discount = discount_value
        if discount_type == AMOUNT and discount_value:  # in proportion to the amounts credited
            share = sum(entered * quantity / line.invoiced.quantity
                        for entered, quantity, line in zip(full_entered, quantities, lines)
                        if quantity)
            invoice_discount = discount_value * share / sum(full_entered)
        return compute_totals([_at(line.invoiced, q) for line, q in zip(lines, quantities)],
                              discount_type=discount_type, discount_value=invoice_discount,
                              **options)

    before = totals([line.before for line in lines])
    after = totals([line.before + line.now for line in lines])
    return DocumentTotals(
        lines=tuple(LineTotals(gross=a.gross - b.gross, discount=a.discount - b.discount,
                            net=a.net - b.net, tax=a.tax - b.tax)
                    for a, b in zip(after.lines, before.lines)),
        subtotal=after.subtotal - before.subtotal,
        discount_total=after.discount_total - before.discount_total,
        taxable=after.taxable - before.taxable,
        taxes=tuple(TaxLine(rate=a.rate, base=a.base - b.base, amount=a.amount - b.amount)
                    for a, b in zip(after.taxes, before.taxes)),
        tax_total=after.tax_total - before.tax_total,
        total=after.total - before.total,
    )
