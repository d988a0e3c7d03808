"""Invoice totals: the one function that the UI, PDFs, API, reports and demo data all call.

Amounts are worked in whole minor units (cents) and rounded half up. Splits of a rounded
amount (the invoice discount over tax categories, a rate's tax over its lines) use the
largest-remainder method so that the parts always add up to the whole.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from billing_app.domain.money import check_amount, minor_units

PERCENT = "percent"
AMOUNT = "amount"
ROUND_PER_DOCUMENT = "document"  # per document and rate, EN 16931 BR-CO-17
ROUND_PER_LINE = "line"

# Wide enough that products and quotients of realistic amounts are exact, or (for the
# divisions of tax-inclusive prices) far too precise to flip a rounding decision.
_EXACT = Context(prec=60)

RateSet = tuple[Decimal, ...]


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount_type: str | None = None  # "percent" | "amount"
    discount_value: Decimal | None = None
    tax_rates: tuple[Decimal, ...] = ()  # percentages, e.g. Decimal("19")


@dataclass(frozen=True)
class LineTotals:
    """One line before the invoice-level discount.

    gross = quantity * unit_price and discount are in the prices' terms (tax-inclusive when
    prices include tax); net is always tax-exclusive. Without prices including tax,
    net == gross - discount; with them, net + tax == gross - discount. tax is the line's part
    of the tax the document would have without an invoice-level discount.
    """

    gross: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxLine:
    rate: Decimal
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class DocumentTotals:
    lines: tuple[LineTotals, ...]
    subtotal: Decimal  # sum of line nets
    discount_total: Decimal  # invoice-level discount, tax-exclusive
    taxable: Decimal  # subtotal - discount_total
    taxes: tuple[TaxLine, ...]  # one per rate, by rate
    tax_total: Decimal
    total: Decimal  # taxable + tax_total
    fees: Decimal = Decimal(0)  # late fees charged by reminders, outside the EN 16931 totals

    @property
    def amount_due(self) -> Decimal:
        """What the client is asked to pay before payments and credits: total and fees."""
        return amount_due(self.total, self.fees)


def amount_due(total: Decimal, fees: Decimal) -> Decimal:
    """The invoice total plus its late fees. Fees carry no tax and never change the invoice's
    own totals (subtotal, tax, total stay as issued); balances start from this amount."""
    return total + fees


def compute_totals(
    lines: Iterable[LineInput],
    *,
    currency: str,
    discount_type: str | None = None,
    discount_value: Decimal | None = None,
    tax_rounding: str = ROUND_PER_DOCUMENT,
    prices_include_tax: bool = False,
    fees: Iterable[Decimal] = (),
) -> DocumentTotals:
    """Totals of an invoice; raises ValueError with a readable message for invalid input.

    `fees` are the late fees charged on it (already in the currency's minor unit)."""
    if tax_rounding not in (ROUND_PER_DOCUMENT, ROUND_PER_LINE):
        raise ValueError(f"Tax rounding must be 'document' or 'line', not {tax_rounding!r}.")
    lines = tuple(lines)
    scale = minor_units(currency)
    with localcontext(_EXACT):
        rate_sets = [_rate_set(line, n, prices_include_tax) for n, line in enumerate(lines, 1)]
        amounts = [_line_amounts(line, n, scale) for n, line in enumerate(lines, 1)]
        entered = [gross - discount for gross, discount in amounts]
        invoice_discount = _discount(discount_type, discount_value, sum(entered), scale, "The invoice")
        split = _TaxSplit(rate_sets, prices_include_tax, tax_rounding == ROUND_PER_LINE)
        before = split.apply(entered)
        after = before
        if invoice_discount:
            after = split.apply(_spread(invoice_discount, entered, rate_sets))

    def money(units: int) -> Decimal:
        return Decimal(units).scaleb(-scale)

    subtotal = sum(before.bases)
    taxable = sum(after.bases)
    taxes = tuple(
        TaxLine(rate=rate, base=money(after.rate_base(rate)), amount=money(after.rate_tax(rate)))
        for rate in split.rates
    )
    tax_total = sum(after.line_taxes)
    return DocumentTotals(
        lines=tuple(
            LineTotals(gross=money(gross), discount=money(discount), net=money(net), tax=money(tax))
            for (gross, discount), net, tax in zip(amounts, before.bases, before.line_taxes)
        ),
        subtotal=money(subtotal),
        discount_total=money(subtotal - taxable),
        taxable=money(taxable),
        taxes=taxes,
        tax_total=money(tax_total),
        total=money(taxable + tax_total),
        fees=sum((_non_negative(fee, "A late fee") for fee in fees), Decimal(0)),
    )


def _round(value: Decimal) -> int:
    """Round half up to a whole number of minor units; every amount here is >= 0."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _non_negative(value, what: str) -> Decimal:
    value = check_amount(value, what)
    if value < 0:
        raise ValueError(f"{what} cannot be negative (got {value}).")
    return value


def _rate_set(line: LineInput, n: int, prices_include_tax: bool) -> RateSet:
    rates = [_non_negative(rate, f"The tax rate of line {n}") for rate in line.tax_rates]
    if any(rate > 100 for rate in rates):
        raise ValueError(f"A tax rate of line {n} is above 100%.")
    if len(set(rates)) != len(rates):
        raise ValueError(f"Line {n} has the same tax rate twice.")
    if prices_include_tax and len(rates) > 1:
        raise ValueError(
            f"Line {n} has several tax rates; with prices that include tax a line takes one rate."
        )
    return tuple(sorted(rates))


def _line_amounts(line: LineInput, n: int, scale: int) -> tuple[int, int]:
    """(gross, discount) of a line in minor units."""
    quantity = _non_negative(line.quantity, f"The quantity of line {n}")
    price = _non_negative(line.unit_price, f"The unit price of line {n}")
    gross = _round((quantity * price).scaleb(scale))
    discount = _discount(line.discount_type, line.discount_value, gross, scale, f"Line {n}")
    return gross, discount


def _discount(kind: str | None, value: Decimal | None, applies_to: int, scale: int, who: str) -> int:
    """A discount in minor units: a percentage of `applies_to`, or an amount of at most it."""
    if kind is None:
        if value:
            raise ValueError(f"{who} has a discount value but no discount type (percent or amount).")
        return 0
    value = _non_negative(value if value is not None else Decimal(0), f"{who}'s discount")
    if kind == PERCENT:
        if value > 100:
            raise ValueError(f"{who}'s discount cannot be more than 100% (got {value}%).")
        return _round(applies_to * value / 100)
    if kind == AMOUNT:
        units = _round(value.scaleb(scale))
        if units > applies_to:
            raise ValueError(
                f"{who}'s discount of {value} is more than the amount it applies to "
                f"({Decimal(applies_to).scaleb(-scale)})."
            )
        return units
    raise ValueError(f"{who} has an unknown discount type {kind!r}; use percent or amount.")


def _allocate(total: int, weights: Sequence[Decimal | int]) -> list[int]:
    """Split `total` minor units in proportion to `weights`; the parts sum to `total` exactly."""
    if len(weights) == 1:
        return [total]
    if total == 0:
        return [0] * len(weights)
    weight_sum = sum(weights)
    shares = [total * Decimal(w) / weight_sum for w in weights]
    parts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: parts[i] - shares[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _spread(discount: int, amounts: list[int], rate_sets: list[RateSet]) -> list[int]:
    """Amounts after the invoice discount, spread over tax categories, then over their lines."""
    groups: dict[RateSet, list[int]] = {}
    for i, rates in enumerate(rate_sets):
        groups.setdefault(rates, []).append(i)
    keys = sorted(groups)
    group_parts = _allocate(discount, [sum(amounts[i] for i in groups[key]) for key in keys])
    after = list(amounts)
    for key, part in zip(keys, group_parts):
        members = groups[key]
        for i, share in zip(members, _allocate(part, [amounts[i] for i in members])):
            after[i] -= share
    return after


@dataclass(frozen=True)
class _Split:
    """Tax-exclusive bases and taxes per line (minor units), taxes keyed by rate."""

    bases: list[int]
    taxes: list[dict[Decimal, int]]

    @property
    def line_taxes(self) -> list[int]:
        return [sum(taxes.values()) for taxes in self.taxes]

    def rate_base(self, rate: Decimal) -> int:
        return sum(base for base, taxes in zip(self.bases, self.taxes) if rate in taxes)

    def rate_tax(self, rate: Decimal) -> int:
        return sum(taxes.get(rate, 0) for taxes in self.taxes)


class _TaxSplit:
    """Splits line amounts into tax-exclusive bases and taxes, in one rounding mode."""

    def __init__(self, rate_sets: list[RateSet], inclusive: bool, per_line: bool) -> None:
        self.rate_sets = rate_sets
        self.inclusive = inclusive
        self.per_line = per_line
        self.rates = sorted({rate for rates in rate_sets for rate in rates})

    def apply(self, amounts: list[int]) -> _Split:
        with localcontext(_EXACT):
            exact_bases = [
                Decimal(amount) * 100 / (100 + sum(rates)) if self.inclusive else Decimal(amount)
                for amount, rates in zip(amounts, self.rate_sets)
            ]
            taxes: list[dict[Decimal, int]] = [{} for _ in amounts]
            for rate in self.rates:
                members = [i for i, rates in enumerate(self.rate_sets) if rate in rates]
                if self.per_line:
                    parts = [_round(exact_bases[i] * rate / 100) for i in members]
                else:  # BR-CO-17: round once per rate, then give each line its share
                    weights = [exact_bases[i] for i in members]
                    parts = _allocate(_round(sum(weights) * rate / 100), weights)
                for i, part in zip(members, parts):
                    taxes[i][rate] = part
        if self.inclusive:
            bases = [amount - sum(tax.values()) for amount, tax in zip(amounts, taxes)]
        else:
            bases = list(amounts)
        return _Split(bases, taxes)
