"""One payment: facts, allocations, and (for writers, while it stands) allocate, void, refund."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.allocations import allocation_buttons, allocation_summary, allocation_table
from billing_app.ui.components.confirm import confirm_button
from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.downloads import download_link
from billing_app.ui.components.forms import field, form_error
from billing_app.ui.components.payment_status import payment_status_badge
from billing_app.ui.components.tables import data_table
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.document_links import receipt_pdf_href
from billing_app.ui.states.payment_detail import PaymentDetailState as S

F = S.facts


def _header() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.hstack(rx.heading(F["title"], size="6", as_="h2"),
                          payment_status_badge(F["status"], F["status_label"]), align="center"),
                rx.text("From ", rx.link(F["client"], href=F["client_href"]), " on ", F["date"],
                        " · ", F["method"], color_scheme="gray"),
                spacing="2",
            ),
            rx.spacer(),
            rx.vstack(rx.text("Amount", size="1", color_scheme="gray"), rx.heading(F["amount"], size="6"),
                      align="end", spacing="0", aria_label="Amount"),
            width="100%",
            align="start",
        ),
        width="100%",
    )


def _reversal() -> rx.Component:
    return rx.cond(
        ~S.is_completed,
        rx.callout(
            rx.text(F["reversal"], rx.text.strong(F["reversal_reason"])),
            icon="undo-2", color_scheme="gray", width="100%", role="status",
        ),
    )


def _fact(label: str, value, when=None) -> rx.Component:
    item = rx.data_list.item(rx.data_list.label(label), rx.data_list.value(rx.cond(value != "", value, "—")))
    return item if when is None else rx.cond(when, item)


def _facts() -> rx.Component:
    gateway = F["gateway_provider"] != ""
    return rx.card(
        rx.data_list.root(
            _fact("Client", rx.link(F["client"], href=F["client_href"])),
            _fact("Payment date", F["date"]),
            _fact("Amount", F["amount"]),
            _fact("Allocated to invoices", F["allocated"]),
            _fact("Unallocated (client credit)", F["unallocated"]),
            _fact("Refunded", F["refunded"]),
            _fact("Method", F["method"]),
            _fact("Reference", F["reference"]),
            _fact("Notes", F["notes"]),
            _fact("Status", F["status_label"]),
            _fact("Gateway", F["gateway_provider"], when=gateway),
            _fact("Gateway transaction", F["gateway_transaction_id"], when=gateway),
            _fact("Gateway status", F["gateway_status"], when=gateway),
            orientation=rx.breakpoints(initial="vertical", md="horizontal"),
        ),
        width="100%",
    )


def _actions() -> rx.Component:
    return rx.cond(
        S.can_write & S.is_completed,
        rx.hstack(
            rx.cond(S.can_allocate, rx.button(rx.icon("list-checks", size=16), "Allocate remainder",
                                              on_click=S.open_allocate)),
            rx.cond(F["refundable"] != "", rx.button("Refund an amount", variant="soft", color_scheme="amber",
                                                     on_click=S.open_refund)),
            rx.button("Refund payment", variant="soft", color_scheme="amber", on_click=S.open_reverse("refund")),
            rx.cond(F["voidable"] != "", rx.button("Void payment", variant="soft", color_scheme="red",
                                                   on_click=S.open_reverse("void"))),
            spacing="3",
        ),
    )


def _allocation_row(allocation: dict) -> rx.Component:
    remove = confirm_button(
        "Remove", title="Remove this allocation?",
        description=allocation["amount"] + " goes back from " + allocation["invoice"]
        + " to the client's credit; the invoice owes it again.",
        confirm_label="Remove allocation", on_confirm=S.remove_allocation(allocation["id"]), size="1",
    )
    return rx.table.row(
        rx.table.row_header_cell(rx.link(allocation["invoice"], href=allocation["invoice_href"])),
        rx.table.cell(allocation["amount"], text_align="right"),
        rx.cond(S.can_write & S.is_completed, rx.table.cell(remove, text_align="right")),
        align="center",
    )


def _allocations() -> rx.Component:
    headers = ["Invoice", rx.box("Amount", text_align="right")]
    return rx.vstack(
        rx.heading("Allocations", size="4", as_="h2"),
        rx.cond(~S.is_completed, rx.text("Taken off the invoices again when the payment was ",
                                         F["reversed_as"], "; kept here as its history.",
                                         size="2", color_scheme="gray")),
        rx.cond(
            S.can_write & S.is_completed,
            data_table([*headers, rx.box("Actions", text_align="right")], S.allocations, _allocation_row,
                       empty_text="Nothing of this payment is on an invoice; all of it is client credit."),
            data_table(headers, S.allocations, _allocation_row,
                       empty_text="This payment was not allocated to any invoice."),
        ),
        spacing="3",
        width="100%",
    )


def _allocate_dialog() -> rx.Component:
    body = rx.vstack(
        rx.hstack(
            rx.text("Unallocated: ", rx.text.strong(F["unallocated"]), " goes on the client's open invoices, "
                    "the oldest due date first, unless you change the amounts.", size="2"),
            rx.spacer(),
            allocation_buttons(S),
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(S.allocation_rows.length() > 0, allocation_table(S),
                rx.text("The client has no open invoices in this currency.", size="2", color_scheme="gray")),
        allocation_summary(S),
        spacing="3",
        width="100%",
    )
    return form_dialog("Allocate remainder", body, submit_label="Allocate to invoices",
                       on_submit=S.allocate_to_invoices, error=S.allocate_error, open=S.allocate_open,
                       on_open_change=S.set_allocate_open, max_width="640px")


def _reverse_dialog() -> rx.Component:
    voiding = S.reverse_kind == "void"
    body = rx.vstack(
        rx.text(rx.cond(voiding, "Void a payment that was recorded by mistake.",
                        "Record that the money went back to the client."),
                " Its invoices will owe again what it paid; this cannot be undone.", size="2"),
        field("Reason", rx.text_area(id="reverse-reason", name="reason", rows="3", width="100%"),
              html_for="reverse-reason", error=S.reverse_error),
        spacing="3",
        width="100%",
    )
    label = rx.cond(voiding, "Void payment", "Refund payment")
    return form_dialog(label, body, submit_label=label, on_submit=S.reverse, error="",
                       open=S.reverse_kind != "", on_open_change=S.set_reverse_open, max_width="480px")


def _refund_dialog() -> rx.Component:
    errors = S.refund_errors
    body = rx.vstack(
        rx.text("Give back part or all of what is left of this payment. It comes first out of its "
                "unallocated part; the rest is taken back from its newest allocations, and those "
                "invoices owe it again.", size="2"),
        field("Amount to refund", rx.input(id="refund-amount", name="amount", input_mode="decimal",
                                           default_value=F["refundable"], width="100%"),
              html_for="refund-amount", error=errors.get("amount", "")),
        rx.text("At most ", F["refundable"], " ", F["currency"], ".", size="1", color_scheme="gray"),
        field("Reason", rx.text_area(id="refund-reason", name="reason", rows="2", width="100%"),
              html_for="refund-reason", error=errors.get("reason", "")),
        form_error(errors.get("form", "")),
        spacing="3",
        width="100%",
    )
    return form_dialog("Refund an amount", body, submit_label="Refund", on_submit=S.refund, error="",
                       open=S.refund_open, on_open_change=S.set_refund_open, max_width="480px")


def _not_found() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text("That payment does not exist.", weight="bold"),
            rx.link("Back to the payments", href=routes.PAYMENTS.route),
        ),
        icon="search-x", color_scheme="gray", width="100%", max_width="560px",
    )


@private_page(routes.PAYMENT, on_load=[S.load])
def payment_page() -> rx.Component:
    return rx.cond(
        S.loading,
        rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
        rx.cond(
            S.found,
            rx.vstack(_header(), _reversal(), _actions(),
                      download_link("Download receipt", receipt_pdf_href(S.shown_id)),
                      _facts(), _allocations(), _allocate_dialog(),
                      _reverse_dialog(), _refund_dialog(), spacing="4", width="100%"),
            _not_found(),
        ),
    )
