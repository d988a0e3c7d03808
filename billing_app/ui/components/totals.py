"""The totals box of an invoice, the same in the editor and on the invoice page."""

import reflex as rx


def totals_row(label, value, strong: bool = False) -> rx.Component:
    weight = "bold" if strong else "regular"
    return rx.hstack(rx.text(label, weight=weight), rx.spacer(), rx.text(value, weight=weight), width="100%")


def document_totals(amounts, tax_lines, *extra: rx.Component) -> rx.Component:
    """Subtotal, invoice discount, tax per rate, tax total and total; `amounts` is a dict var
    with subtotal, discount ("" when none), tax_total and total as formatted strings."""
    return rx.vstack(
        totals_row("Subtotal", amounts["subtotal"]),
        rx.cond(amounts["discount"] != "", totals_row("Invoice discount", amounts["discount"])),
        rx.foreach(tax_lines, lambda t: totals_row(t["label"], t["amount"])),
        totals_row("Tax total", amounts["tax_total"]),
        rx.divider(),
        totals_row("Total", amounts["total"], strong=True),
        *extra,
        width="100%",
        spacing="2",
        aria_label="Invoice totals",
    )
