"""The sentences that tell a finance clerk why a payment was matched to a client's invoices."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from babel import Locale

from billing_app.domain.creditor_reference import creditor_reference, grouped
from billing_app.domain.money import format_money


class Mode(StrEnum):
    """How the invoices of a proposal were chosen."""

    EXACT_ONE = "exact_one"  # the one invoice of the client whose balance is the amount
    EXACT_ALL = "exact_all"  # those named, or all the client's, whose balances add up to it
    CLOSE = "close"  # one invoice whose balance is close to the amount
    NAMED = "named"  # those named in the reference; the amount does not fit
    OLDEST = "oldest"  # nothing points to invoices: the client's oldest due first


@dataclass(frozen=True)
class PaidInvoice:
    invoice_id: int
    number: str
    balance: Decimal
    allocated: Decimal  # what this line puts on it
    due_date: date
    named: bool  # its number or RF reference is in the line
    cut: bool  # earlier lines of the import took part or all of what this line would pay
    by_rf: bool = False  # named by its RF reference
    reserved: Decimal = Decimal(0)  # held by waiting proposals of other lines; balance is the rest


@dataclass(frozen=True)
class Findings:
    """What the matcher found for one line and the client it chose."""

    amount: Decimal
    currency: str
    booking_date: date
    payer_name: str
    payer_iban: str
    client_name: str
    number: bool
    iban: bool
    name: bool
    mode: Mode
    together_with: int  # other lines of the import naming the same invoice, when they add up
    near_due: bool
    invoices: list[PaidInvoice]  # in the order they are paid
    locale: Locale  # the company's, for the amounts
    rf: bool = False  # an invoice's RF reference is in the line
    resembles: int = 0  # how much the payer's name resembles the client's, in percent; 0: not
    rf_typos: tuple[str, ...] = ()  # RF references in the line with wrong check digits, compact


def _numbers(invoices: list[PaidInvoice]) -> str:
    numbers = [invoice.number for invoice in invoices]
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _days(count: int) -> str:
    return f"{count} day{'s' * (count != 1)}"


def _invoice_note(found: Findings, invoice: PaidInvoice, money) -> list[str]:
    """What is special about how much of the line goes to this invoice, if anything."""
    if invoice.reserved and not invoice.balance:
        return [f"All of {invoice.number}'s balance, {money(invoice.reserved)}, is already "
                "proposed for other payments waiting for a decision."]
    if invoice.reserved:
        return [f"{money(invoice.reserved)} of {invoice.number}'s balance is already proposed "
                f"for other payments waiting for a decision; {money(invoice.balance)} is left.",
                *_invoice_note(found, replace(invoice, reserved=Decimal(0)), money)]
    if invoice.cut and not invoice.allocated:
        return [f"{invoice.number} is already paid by earlier lines of this import."]
    if invoice.cut:
        return [f"Earlier lines of this import pay part of {invoice.number}; "
                f"{money(invoice.allocated)} of this payment goes to it."]
    if not invoice.allocated:
        return [f"Nothing of the amount is left for {invoice.number}."]
    if (invoice.allocated < invoice.balance and found.mode != Mode.CLOSE
            and not found.together_with):
        return [f"{invoice.number} stays partly open: "
                f"{money(invoice.balance - invoice.allocated)} of its {money(invoice.balance)} "
                "is left to pay."]
    return []


def sentences(found: Findings) -> list[str]:
    """Why this client, why these invoices and amounts, and what becomes of the rest."""

    def money(amount: Decimal) -> str:
        return format_money(amount, found.currency, locale=found.locale)

    paid = [invoice for invoice in found.invoices if invoice.allocated > 0]
    said = _who(found) + _amount(found, money) + _when(found, paid)
    for invoice in found.invoices:
        said += _invoice_note(found, invoice, money)
    remainder = found.amount - sum((invoice.allocated for invoice in paid), Decimal(0))
    if remainder > 0 and paid:
        said.append(f"{money(remainder)} more than the invoices; it will be kept as client credit.")
    elif remainder > 0:
        said.append(f"Nothing is left to pay on {found.client_name}'s invoices: all "
                    f"{money(remainder)} will be kept as client credit.")
    return said


def _who(found: Findings) -> list[str]:
    said = [f"The RF reference {grouped(typo)} has wrong check digits (a typo?), so it was "
            "matched to no invoice." for typo in found.rf_typos]
    for invoice in found.invoices if found.rf else []:
        if invoice.by_rf:
            said.append(f"{invoice.number}'s RF creditor reference, "
                        f"{grouped(creditor_reference(invoice.number))}, is in the payment, "
                        "with the right check digits.")
    named = [invoice for invoice in found.invoices if invoice.named and not invoice.by_rf]
    if found.number and named:
        plural = len(named) > 1
        said.append(f"Invoice number{'s' * plural} {_numbers(named)} {'are' if plural else 'is'} "
                    "in the payment reference.")
    if found.iban:
        said.append(f"The payer's account {found.payer_iban} has paid {found.client_name} before.")
    if found.name:
        said.append(f"The payer's name, {found.payer_name}, is the client's name, "
                    f"{found.client_name.rstrip('.')}.")  # "Orbit Travel Inc." ends one
    elif found.resembles:
        said.append(f"The payer's name '{found.payer_name}' resembles the client's name "
                    f"'{found.client_name}' ({found.resembles}%).")
    return said


def _amount(found: Findings, money) -> list[str]:
    amount, first = money(found.amount), found.invoices[0] if found.invoices else None
    if found.mode == Mode.EXACT_ONE or (found.mode == Mode.EXACT_ALL and len(found.invoices) == 1):
        return [f"The amount, {amount}, is the balance of {first.number}."]
    if found.mode == Mode.EXACT_ALL and found.number:
        return [f"The amount, {amount}, is the sum of the balances of "
                f"{_numbers(found.invoices)}."]
    if found.mode == Mode.EXACT_ALL:
        return [f"The amount, {amount}, is the sum of all {len(found.invoices)} open invoices "
                f"of {found.client_name}."]
    if found.mode == Mode.CLOSE:
        gap = found.amount - first.balance
        if gap > 0:
            return [f"The amount, {amount}, is {money(gap)} more than the balance of "
                    f"{first.number} ({money(first.balance)})."]
        return [f"The amount, {amount}, is {money(-gap)} less than the balance of "
                f"{first.number} ({money(first.balance)}), as when bank charges are deducted."]
    if found.together_with:
        others = f"{found.together_with} other line{'s' * (found.together_with != 1)}"
        return [f"With {others} of this import naming {first.number}, the payments add up to "
                f"its balance of {money(first.balance)}."]
    if found.mode == Mode.OLDEST:
        return ["No invoice number or matching amount was found: the payment goes to "
                f"{found.client_name}'s open invoices, the oldest due first."]
    return []


def _when(found: Findings, paid: list[PaidInvoice]) -> list[str]:
    if not (found.near_due and paid):
        return []
    nearest = min(paid, key=lambda invoice: abs((found.booking_date - invoice.due_date).days))
    days = (found.booking_date - nearest.due_date).days
    when = ("on the day" if days == 0 else
            f"{_days(days)} after" if days > 0 else f"{_days(-days)} before")
    return [f"It was booked {when} {nearest.number} was due."]
